// Worker-thread entry of the match index: recomputes both modes' matches on its own connection to the store, off
// the HTTP request path, and posts the snapshot back.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store';
import { IncrementalLineage } from './incremental-lineage';
import { computeMatches } from './match-index';

const { dbPath, lineage } = workerData as { dbPath: string; lineage: ConstructorParameters<typeof IncrementalLineage>[1] };
const db = openStore(dbPath);
const incremental = new IncrementalLineage(db, lineage);
parentPort?.on('message', () => {
  parentPort?.postMessage(computeMatches(db, incremental));
});
