// `lineage ingest`: the composition root of ingest (store + sink + coordinator), progress and exit code.
import cliProgress from 'cli-progress';
import type { FormatName, TableName } from '../domain';
import { ingestPaths } from '../ingest';
import { createIngestSink, openStore } from '../store';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { formatIngestSummary } from './format-summary';
import { terminalSafe } from './terminal-text';

export interface IngestCommandOptions {
  db: string;
  format: FormatName | 'auto';
  table?: TableName;
  strict?: boolean;
  json?: boolean;
  workers: number;
}

/** Runs an ingest and returns the process exit code. */
export async function ingestCommand(paths: string[], options: IngestCommandOptions, io: CliIo, command: string): Promise<number> {
  const store = openStore(options.db);
  try {
    const bar = io.stderrIsTty
      ? new cliProgress.SingleBar({
        format: 'ingest {file} [{bar}] {filesDone}/{filesTotal} files | {events} events | {rate} ev/s | {rejects} rejects',
        stream: process.stderr, hideCursor: true,
      }, cliProgress.Presets.shades_classic)
      : null;
    bar?.start(1, 0, { file: '', filesDone: 0, filesTotal: 0, events: 0, rate: 0, rejects: 0 });
    const summary = await ingestPaths(paths, {
      sink: createIngestSink(store),
      format: options.format,
      table: options.table ?? null,
      workers: options.workers,
      command,
      onProgress: bar ? (p) => {
        bar.setTotal(p.filesTotal);
        bar.update(p.filesDone, { ...p, file: terminalSafe(p.file), rate: p.seconds > 0 ? Math.round(p.events / p.seconds) : 0 });
      } : undefined,
    });
    bar?.stop();
    if (options.json) io.stdout(`${JSON.stringify(summary)}\n`);
    else io.stderr(`${formatIngestSummary(summary)}\n`);
    if (summary.filesFailed > 0) return EXIT.failure;
    if (options.strict && summary.rejects > 0) return EXIT.rejectsUnderStrict;
    return EXIT.ok;
  } finally {
    store.close();
  }
}
