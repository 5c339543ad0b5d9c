// `lineage ingest`: the composition root of ingest (store + sink + coordinator), progress and exit code.
import { getPriority, setPriority } from 'node:os';
import cliProgress from 'cli-progress';
import type { FormatName, TableName, YearLastOrder } from '../domain';
import { ingestPaths } from '../ingest';
import { createIngestSink, openStore, storeFiles } from '../store';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { formatIngestSummary } from './format-summary';
import { terminalSafe } from './terminal-text';

export interface IngestCommandOptions {
  db: string;
  format: FormatName | 'auto';
  table?: TableName;
  dateOrder: YearLastOrder;
  timeZone?: string;
  strict?: boolean;
  json?: boolean;
  workers: number;
  /** The niceness to run at, at least (the parse workers inherit it): 0 leaves the priority alone. */
  nice: number;
}

/** Lowers this thread's CPU priority to `niceness` unless it is lower already; never raises it. */
function lowerPriority(niceness: number): void {
  try {
    if (getPriority() < niceness) setPriority(niceness);
  } catch {
    // not permitted here (a container's policy): the ingest runs at the priority it has
  }
}

type StopSignal = keyof typeof EXIT.interrupted;

/**
 * Turns the first SIGINT or SIGTERM into a stop between two chunks (what was read stays stored, the run is recorded
 * as interrupted); a second one quits at once, which leaves the store consistent too (SQLite rolls the open
 * transaction back). Returns the signal that stopped the run, if any, and a function that removes the handlers.
 */
function stopOnSignal(controller: AbortController, io: CliIo): { received: () => StopSignal | null; remove: () => void } {
  let received: StopSignal | null = null;
  const onSignal = (signal: StopSignal): void => {
    if (received) process.exit(EXIT.interrupted[received]);
    received = signal;
    io.stderr(`\nlineage: ${signal}: stopping after the chunk being written (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    received: () => received,
    remove: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Runs an ingest and returns the process exit code. */
export async function ingestCommand(paths: string[], options: IngestCommandOptions, io: CliIo, command: string): Promise<number> {
  // An ingest is a batch job that keeps every core busy; before its workers start, so that they inherit it.
  if (options.nice > 0) lowerPriority(options.nice);
  const store = openStore(options.db);
  const controller = new AbortController();
  const signals = stopOnSignal(controller, io);
  try {
    // The bar measures bytes of the files read (a single large file moves it too), or files when only stdin is read.
    const bar = io.stderrIsTty
      ? new cliProgress.SingleBar({
        format: 'ingest {file} [{bar}] {percentage}% | {filesDone}/{filesTotal} files | {events} events | {rate} ev/s | {rejects} rejects',
        stream: process.stderr, hideCursor: true,
      }, cliProgress.Presets.shades_classic)
      : null;
    bar?.start(1, 0, { file: '', filesDone: 0, filesTotal: 0, events: 0, rate: 0, rejects: 0 });
    const summary = await ingestPaths(paths, {
      sink: createIngestSink(store),
      format: options.format,
      table: options.table ?? null,
      yearLast: options.dateOrder,
      timeZone: options.timeZone,
      workers: options.workers,
      command,
      signal: controller.signal,
      skip: storeFiles(options.db),
      onProgress: bar ? (p) => {
        const bytes = p.bytesTotal > 0;
        bar.setTotal(bytes ? p.bytesTotal : p.filesTotal);
        bar.update(bytes ? p.bytesDone : p.filesDone, { ...p, file: terminalSafe(p.file), rate: p.seconds > 0 ? Math.round(p.events / p.seconds) : 0 });
      } : undefined,
    });
    bar?.stop();
    if (options.json) io.stdout(`${JSON.stringify(summary)}\n`);
    else io.stderr(`${formatIngestSummary(summary)}\n`);
    const signal = signals.received();
    // A read of stdin left pending would keep the process alive after the interrupted run.
    if (summary.interrupted && paths.includes('-')) process.stdin.destroy();
    if (summary.interrupted && signal) return EXIT.interrupted[signal];
    if (summary.filesFailed > 0) return EXIT.failure;
    if (options.strict && summary.rejects > 0) return EXIT.rejectsUnderStrict;
    return EXIT.ok;
  } finally {
    signals.remove();
    store.close();
  }
}
