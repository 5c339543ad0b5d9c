// The ingest coordinator: expands the paths, has each file parsed (in a worker thread, or inline), writes every
// chunk through the sink in its own transaction, and adds up the run's summary. The only store writer.
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LineageError, type FormatName, type IngestSink, type TableName } from '../domain';
import { expandPaths } from './expand-paths';
import { parseFile, type FileParseEvent, type ParseFileOptions } from './parse-file';
import type { FileSummary, IngestSummary } from './ingest-summary';
import { WorkerParser } from './worker-parser';

export interface IngestOptions {
  sink: IngestSink;
  format?: FormatName | 'auto';
  table?: TableName | null;
  /** Parse in a worker thread (1, the default) or on the main thread (0). */
  workers?: 0 | 1;
  /** The command line recorded with the run. */
  command?: string;
  /** Wall-clock time as ISO text, injected so tests control it. */
  now?: () => string;
  onProgress?: (progress: IngestProgress) => void;
  batchSize?: number;
}

export interface IngestProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  events: number;
  rejects: number;
  seconds: number;
}

const MAX_MESSAGES = 50;

/** A store write failed: unlike a bad file, that ends the run. */
class StoreWriteFailed extends Error {
  constructor(readonly original: unknown) {
    super('store write failed');
  }
}

function emptyFile(path: string): FileSummary {
  return {
    path, format: null, compressed: false, events: { DeviceProcessEvents: 0, DeviceNetworkEvents: 0 },
    duplicates: 0, rejects: 0, skipped: 0, warnings: 0, error: null, passedOver: false,
  };
}

/** Ingests every file under `paths` into the sink and returns the run's summary. */
export async function ingestPaths(paths: readonly string[], options: IngestOptions): Promise<IngestSummary> {
  const { sink } = options;
  const now = options.now ?? (() => new Date().toISOString());
  const started = performance.now();
  const runId = sink.startRun(options.command ?? `ingest ${paths.join(' ')}`, now());
  const summary: IngestSummary = {
    runId, files: 0, filesFailed: 0, filesPassedOver: 0, events: { DeviceProcessEvents: 0, DeviceNetworkEvents: 0 },
    duplicates: 0, rejects: 0, skipped: 0, skippedByTable: {}, warnings: 0, seconds: 0, eventsPerSecond: 0,
    perFile: [], messages: [],
  };
  const note = (message: string): void => {
    if (summary.messages.length < MAX_MESSAGES) summary.messages.push(message);
  };
  const { files, missing } = expandPaths(paths);
  for (const path of missing) {
    const file = { ...emptyFile(path), error: `ingest: ${path}: no such file or folder` };
    summary.perFile.push(file);
    summary.filesFailed++;
    note(file.error);
  }
  const parseOptions: ParseFileOptions = { format: options.format ?? 'auto', table: options.table ?? null, batchSize: options.batchSize };
  const worker = options.workers === 0 ? null : new WorkerParser();
  const fileSummaries = files.map((input) => emptyFile(input.path === '-' ? '<stdin>' : input.path));
  summary.perFile.push(...fileSummaries);
  summary.files = files.length;
  // Each file's messages, merged in file order at the end: files may be read two at a time.
  const fileMessages = files.map((): string[] => []);
  let filesDone = 0;
  let nextFile = 0;
  /** A store write failed: every lane stops at its next chunk, and the run fails with it. */
  let storeFailure: StoreWriteFailed | null = null;

  async function ingestFile(index: number, inWorker: boolean): Promise<void> {
    const input = files[index] as (typeof files)[number];
    const file = fileSummaries[index] as FileSummary;
    const messages = fileMessages[index] as string[];
    const note = (message: string): void => {
      if (messages.length < MAX_MESSAGES) messages.push(message);
    };
    // stdin belongs to the main thread, so it is always parsed inline.
    const events: AsyncGenerator<FileParseEvent> = worker && inWorker && input.path !== '-'
      ? worker.parse(input.path, file.path, parseOptions)
      : parseFile(input.path, file.path, parseOptions);
    let sourceId = 0;
    try {
      for await (const event of events) {
        if (storeFailure) throw storeFailure;
        if (event.type === 'start') {
          file.format = event.format;
          file.compressed = event.compressed;
          sourceId = sink.openSource(event.name, event.format, runId);
          continue;
        }
        if (event.type === 'passedOver') {
          note(`${event.message}; passed over`);
          continue;
        }
        const { chunk } = event;
        let written;
        try {
          written = sink.writeBatch(runId, sourceId, chunk);
        } catch (error) {
          throw (storeFailure = new StoreWriteFailed(error));
        }
        for (const table of Object.keys(written.inserted) as TableName[]) {
          file.events[table] += written.inserted[table];
          summary.events[table] += written.inserted[table];
        }
        file.duplicates += written.duplicates;
        summary.duplicates += written.duplicates;
        file.rejects += chunk.issues.length;
        summary.rejects += chunk.issues.length;
        file.warnings += chunk.warnings.length;
        summary.warnings += chunk.warnings.length;
        for (const issue of chunk.issues) note(`${issue.file}:${issue.line}: ${issue.message}`);
        for (const warning of chunk.warnings) note(warning);
        for (const [table, count] of Object.entries(chunk.skipped)) {
          file.skipped += count;
          summary.skipped += count;
          summary.skippedByTable[table] = (summary.skippedByTable[table] ?? 0) + count;
        }
        options.onProgress?.({
          file: basename(file.path), filesDone, filesTotal: files.length,
          events: summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents + summary.duplicates,
          rejects: summary.rejects, seconds: (performance.now() - started) / 1000,
        });
      }
    } catch (error) {
      if (error instanceof StoreWriteFailed) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof LineageError && error.code === 'unknown_format' && !input.explicit) {
        // A stray file in a folder (a README, a zip of something else) is passed over, not a failure.
        file.passedOver = true;
        summary.filesPassedOver++;
        note(`${message}; passed over`);
      } else {
        file.error = message;
        summary.filesFailed++;
        note(message);
      }
    } finally {
      filesDone++;
    }
  }

  /** Takes the next file until none is left (or the store failed). */
  async function lane(inWorker: boolean): Promise<void> {
    while (!storeFailure && nextFile < files.length) await ingestFile(nextFile++, inWorker);
  }

  let status: 'ok' | 'failed' = 'ok';
  try {
    // With a worker, the main thread parses as well: while the worker parses one file, the main thread parses the
    // next one itself, between writing the worker's chunks. Both cores work even when the writer alone would idle.
    await Promise.allSettled(worker ? [lane(true), lane(false)] : [lane(false)]);
    if (storeFailure) throw (storeFailure as StoreWriteFailed).original;
  } catch (error) {
    status = 'failed';
    throw error;
  } finally {
    await worker?.close();
    for (const messages of fileMessages) for (const message of messages) note(message);
    summary.seconds = Math.round((performance.now() - started)) / 1000;
    const seen = summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents + summary.duplicates;
    summary.eventsPerSecond = summary.seconds > 0 ? Math.round(seen / summary.seconds) : seen;
    if (summary.filesFailed > 0) status = 'failed';
    const { perFile: _perFile, messages: _messages, ...recorded } = summary;
    sink.finishRun(runId, status, now(), { ...recorded, perFile: summary.perFile });
  }
  return summary;
}
