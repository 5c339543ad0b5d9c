// Worker-thread entry of the match index, on its own connection to the store, off the HTTP request path. Either the
// long-lived background worker (recomputes both modes' matches when asked, posts each snapshot back), or a one-shot
// job: near misses (`explain`), which over a whole store take seconds to tens of seconds.
import { parentPort, workerData } from 'node:worker_threads';
import { LineageError } from '../domain';
import { openStore } from '../store';
import { explainLineage } from './explain-lineage';
import { IncrementalLineage } from './incremental-lineage';
import { computeMatches, type WorkerJob, type WorkerJobResult } from './match-index';

const data = workerData as { dbPath: string; lineage: ConstructorParameters<typeof IncrementalLineage>[1]; job?: WorkerJob };
if (data.job) {
  const db = openStore(data.dbPath, { readonly: true });
  let result: WorkerJobResult;
  try {
    result = { items: explainLineage(db, data.job.options) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    result = { error: { message: e.message, code: e instanceof LineageError ? e.code : null } };
  } finally {
    db.close();
  }
  parentPort?.postMessage(result);
} else {
  // Read-only like the jobs: detection writes nothing, and a store that is gone is an error here, not a new empty one.
  const db = openStore(data.dbPath, { readonly: true });
  const incremental = new IncrementalLineage(db, data.lineage);
  parentPort?.on('message', () => {
    parentPort?.postMessage(computeMatches(db, incremental));
  });
}
