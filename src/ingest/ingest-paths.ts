// The ingest coordinator: expands the paths, has each file parsed (in a worker thread, or inline), writes every
// chunk through the sink in its own transaction, and adds up the run's summary. The only store writer. Longer than
// most files because its lanes, split files, jobs sent ahead and stopping all share one run's state in one closure.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkTimeZone, LineageError, type FormatName, type IngestSink, type TableName, type YearLastOrder } from '../domain';
import { expandPaths } from './expand-paths';
import { parseFile, type FileParseEvent, type FileRange, type ParseFileOptions } from './parse-file';
import { countsByName, ingestBatch, shiftLines, type ParsedChunk, type RowChunk } from './parsed-chunk';
import { planRanges } from './plan-ranges';
import { readFailureMessage } from './read-failure';
import type { FileSummary, IngestSummary } from './ingest-summary';
import { WorkerParser } from './worker-parser';

export interface IngestOptions {
  sink: IngestSink;
  format?: FormatName | 'auto';
  table?: TableName | null;
  /** How a regional date with the year last is read (--date-order); `auto` when absent. */
  yearLast?: YearLastOrder;
  /** The IANA time zone of times a file writes in the exporter's local time (--time-zone). */
  timeZone?: string;
  /** Parse worker threads (default 1); 0 parses on the main thread. */
  workers?: number;
  /** The command line recorded with the run. */
  command?: string;
  /** Wall-clock time as ISO text, injected so tests control it. */
  now?: () => string;
  onProgress?: (progress: IngestProgress) => void;
  batchSize?: number;
  /** With two or more workers, large plain line files are split into ranges of about this many bytes (tests). */
  rangeBytes?: number;
  /**
   * Stops the run between two chunks (Ctrl-C): every lane stops before its next write, the run is recorded as
   * 'interrupted', and the summary says so.
   */
  signal?: AbortSignal;
  /** Files never read from a folder walk: the store's own (database, WAL, column log), which may sit inside it. */
  skip?: readonly string[];
}

export interface IngestProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  /** Bytes of the files (as stored) read and written so far, and in all; stdin counts for none. */
  bytesDone: number;
  bytesTotal: number;
  events: number;
  rejects: number;
  seconds: number;
}

const MAX_MESSAGES = 50;
/** Kinds of skipped record (other tables, other event ids) a summary names one by one; names come from the input. */
const MAX_SKIPPED_KINDS = 100;
const OTHER_SKIPPED_KINDS = 'other kinds';

/** A job this small (bytes) has the next one sent to its worker before it is written (see lane). */
const SEND_AHEAD_BYTES = 4 * 1024 * 1024;

/** What one lane reads and writes at a time: a whole file, or one range of a file split between workers. */
interface Job {
  index: number;
  part: { split: SplitFile; number: number; range: FileRange } | null;
}

/** A file read as ranges by several workers and written in file order. */
interface SplitFile {
  /**
   * Per range, settled once it is written: the file's lines through its end, or null when it was not written whole
   * (a read error, a failed run). The ranges after it then drain without writing, as a whole-file read would stop.
   */
  through: Array<Promise<number | null>>;
  settle: Array<(through: number | null) => void>;
  left: number;
}

function splitFile(ranges: number): SplitFile {
  const split: SplitFile = { through: [], settle: [], left: ranges };
  for (let i = 0; i < ranges; i++) split.through.push(new Promise((resolve) => split.settle.push(resolve)));
  return split;
}

/** The run was asked to stop (IngestOptions.signal): every lane stops at its next chunk. */
class Interrupted extends Error {
  constructor() {
    super('ingest interrupted');
  }
}

/** A store write failed: unlike a bad file, that ends the run. */
class StoreWriteFailed extends Error {
  constructor(readonly original: unknown) {
    super('store write failed');
  }
}

/** Why a run stops before its end: every lane stops at its next chunk, or at once while it waits for input. */
type StopReason = Interrupted | StoreWriteFailed;

/**
 * The events of `source` until `stop` aborts, then its reason thrown: a lane waiting for input that may not come soon
 * (stdin from a live pipe) stops at once, not at its next chunk.
 */
async function* untilStopped<T>(source: AsyncGenerator<T>, stop: AbortSignal): AsyncGenerator<T> {
  try {
    for (;;) {
      stop.throwIfAborted(); // before asking the source for more
      const next = await untilAborted(source.next(), stop);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Not awaited: with a read still pending, the source ends once that read settles.
    source.return(undefined).catch(() => undefined);
  }
}

/** `promise`, or its rejection with the stop's reason once the run is stopped. */
function untilAborted<T>(promise: Promise<T>, stop: AbortSignal): Promise<T> {
  stop.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onStop = (): void => reject(stop.reason);
    stop.addEventListener('abort', onStop, { once: true });
    promise.then(resolve, reject).finally(() => stop.removeEventListener('abort', onStop));
  });
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
  if (options.timeZone !== undefined) checkTimeZone(options.timeZone, 'ingest');
  const now = options.now ?? (() => new Date().toISOString());
  const started = performance.now();
  const runId = sink.startRun(options.command ?? `ingest ${paths.join(' ')}`, now());
  const summary: IngestSummary = {
    runId, files: 0, filesFailed: 0, filesPassedOver: 0, events: { DeviceProcessEvents: 0, DeviceNetworkEvents: 0 },
    duplicates: 0, rejects: 0, skipped: 0, skippedByTable: countsByName(), warnings: 0, seconds: 0, eventsPerSecond: 0,
    perFile: [], messages: [], interrupted: false,
  };
  /** Names in summary.skippedByTable so far (at most MAX_SKIPPED_KINDS, plus OTHER_SKIPPED_KINDS). */
  let skippedKinds = 0;
  const note = (message: string): void => {
    if (summary.messages.length < MAX_MESSAGES) summary.messages.push(message);
  };
  const { files, missing, unreadable, empty } = expandPaths(paths, options.skip);
  const failures = [
    ...missing.map((path) => ({ path, reason: 'no such file or folder' })),
    ...unreadable,
  ];
  for (const { path, reason } of failures) {
    const file = { ...emptyFile(path), error: `ingest: ${path}: ${reason}` };
    summary.perFile.push(file);
    summary.filesFailed++;
    note(file.error);
  }
  for (const path of empty) note(`ingest: ${path}: the folder holds no file to read`);
  const parseOptions: ParseFileOptions = {
    format: options.format ?? 'auto', table: options.table ?? null, yearLast: options.yearLast ?? 'auto', timeZone: options.timeZone,
    batchSize: options.batchSize,
  };
  const workers = Array.from({ length: options.workers ?? 1 }, () => new WorkerParser());
  const fileSummaries = files.map((input) => emptyFile(input.path === '-' ? '<stdin>' : input.path));
  /** Each file's size as stored, for progress (0 for stdin, or a file that cannot be read: it then fails on its own). */
  const sizes = files.map((input) => {
    if (input.path === '-') return 0;
    try {
      return statSync(input.path).size;
    } catch {
      return 0;
    }
  });
  const bytesTotal = sizes.reduce((sum, size) => sum + size, 0);
  let bytesDone = 0;
  summary.perFile.push(...fileSummaries);
  summary.files = files.length;
  // Each file's messages, merged in file order at the end: files are read side by side.
  const fileMessages = files.map((): string[] => []);
  let filesDone = 0;
  let nextFile = 0;
  /** Ranges of split files not yet taken by a lane: taken before the next file. */
  const queuedRanges: Job[] = [];
  /** Aborted, with a StopReason, when the run must stop: Ctrl-C (options.signal), or a store write that failed. */
  const stop = new AbortController();
  const stopWith = (reason: StopReason): void => {
    if (!stop.signal.aborted) stop.abort(reason);
  };
  const stopReason = (): StopReason | null => (stop.signal.aborted ? stop.signal.reason as StopReason : null);
  const interrupt = (): void => stopWith(new Interrupted());
  if (options.signal?.aborted) interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  /** Each source's row, opened once per run: every range of a split file starts the same source. */
  const sourceIds = new Map<string, number>();
  const openSource = (name: string, format: FormatName): number => {
    let id = sourceIds.get(name);
    if (id === undefined) sourceIds.set(name, id = sink.openSource(name, format, runId));
    return id;
  };

  /** A job's events: sent to its worker at once (which parses what it is sent in order), or parsed inline as read. */
  function eventsOf({ index, part }: Job, worker: WorkerParser | null): AsyncGenerator<FileParseEvent<ParsedChunk | RowChunk>> {
    const input = files[index] as (typeof files)[number];
    const name = (fileSummaries[index] as FileSummary).path;
    // stdin belongs to the main thread, so it is always parsed inline.
    return worker && input.path !== '-'
      ? worker.parse(input.path, name, parseOptions, part?.range ?? null)
      : parseFile(input.path, name, parseOptions);
  }

  /** A job's share of its file, in bytes. */
  const shareOf = ({ index, part }: Job): number =>
    (part ? (part.range.end ?? (sizes[index] as number)) - part.range.start : (sizes[index] as number));

  /**
   * A job is done with, read or not: a range settles with the file's lines through its end (null: not written whole,
   * so the ranges after it drain), and the file is done once its last job is.
   */
  function finishJob({ part }: Job, through: number | null): void {
    if (!part) {
      filesDone++;
      return;
    }
    part.split.settle[part.number]?.(through);
    if (--part.split.left === 0) filesDone++;
  }

  async function ingestPart({ index, part }: Job, events: AsyncGenerator<FileParseEvent<ParsedChunk | RowChunk>>): Promise<void> {
    const input = files[index] as (typeof files)[number];
    const file = fileSummaries[index] as FileSummary;
    const messages = fileMessages[index] as string[];
    const note = (message: string): void => {
      if (messages.length < MAX_MESSAGES) messages.push(message);
    };
    let sourceId = 0;
    /** Settles with the file's lines before this range once the range before it is written (null: it was not). */
    const previous = part && part.number > 0 ? part.split.through[part.number - 1] : undefined;
    /** The lines before this range; undefined until known; null: drain the range, write nothing. */
    let offset: number | null | undefined = previous ? undefined : 0;
    let linesRead = 0;
    let whole = false;
    /** This job's share of the file, and how much of it progress counts as done. */
    const share = shareOf({ index, part });
    let counted = 0;
    const progress = (): void => options.onProgress?.({
      file: basename(file.path), filesDone, filesTotal: files.length, bytesDone, bytesTotal,
      events: summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents + summary.duplicates,
      rejects: summary.rejects, seconds: (performance.now() - started) / 1000,
    });
    try {
      for await (const event of untilStopped(events, stop.signal)) {
        if (event.type === 'chunk' && offset === undefined) {
          // Parsing went on meanwhile: the worker runs ahead by up to MAX_CHUNKS_IN_FLIGHT chunks.
          offset = await untilAborted(previous as Promise<number | null>, stop.signal);
        }
        if (offset === null) continue;
        if (event.type === 'start') {
          file.format = event.format;
          file.compressed = event.compressed;
          sourceId = openSource(event.name, event.format);
          continue;
        }
        if (event.type === 'passedOver') {
          note(`${event.message}; passed over`);
          continue;
        }
        const { chunk } = event;
        linesRead = chunk.linesRead;
        shiftLines(chunk, offset as number);
        let written;
        try {
          written = sink.writeBatch(runId, sourceId, ingestBatch(chunk));
        } catch (error) {
          const failed = new StoreWriteFailed(error);
          stopWith(failed);
          throw failed;
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
        // In line order, so that how the file was cut into chunks and ranges never changes what is said, or in which order.
        const said = chunk.warnings.length === 0 ? chunk.issues : [...chunk.issues, ...chunk.warnings].sort((a, b) => a.line - b.line);
        for (const { file: name, line, message } of said) note(`${name}:${line}: ${message}`);
        for (const [table, count] of Object.entries(chunk.skipped)) {
          file.skipped += count;
          summary.skipped += count;
          // Kinds are named by the input: past MAX_SKIPPED_KINDS of them, the rest are counted together.
          const kinds = summary.skippedByTable;
          const kind = table in kinds || skippedKinds < MAX_SKIPPED_KINDS ? table : OTHER_SKIPPED_KINDS;
          if (!(kind in kinds)) skippedKinds++;
          kinds[kind] = (kinds[kind] ?? 0) + count;
        }
        // The reader runs ahead of the writer by a read or two: never count past this job's share.
        const read = Math.min(chunk.bytesRead, share);
        if (read > counted) {
          bytesDone += read - counted;
          counted = read;
        }
        progress();
      }
      whole = true;
    } catch (error) {
      if (error instanceof StoreWriteFailed || error instanceof Interrupted) throw error;
      const message = readFailureMessage(error, file.path);
      if (error instanceof LineageError && error.code === 'unknown_format' && !input.explicit) {
        // A stray file in a folder (a README, a zip of something else) is passed over, not a failure.
        file.passedOver = true;
        summary.filesPassedOver++;
        note(`${message}; passed over`);
      } else if (file.error === null) {
        file.error = message;
        summary.filesFailed++;
        note(message);
      }
    } finally {
      finishJob({ index, part }, whole && typeof offset === 'number' ? offset + linesRead : null);
      // Done with, read or not (a failed file is not read again in this run).
      bytesDone += Math.max(0, share - counted);
      progress();
    }
  }

  /** The next job: a queued range of a split file, else the next file, split between workers when worth it. */
  function takeJob(worker: WorkerParser | null): Job | null {
    const queued = queuedRanges.shift();
    if (queued) return queued;
    if (nextFile >= files.length) return null;
    const index = nextFile++;
    const ranges = worker && workers.length > 1
      ? planRanges((files[index] as (typeof files)[number]).path, parseOptions, options.rangeBytes) : null;
    if (!ranges) return { index, part: null };
    const split = splitFile(ranges.length);
    const jobs = ranges.map((range, number) => ({ index, part: { split, number, range } }));
    queuedRanges.push(...jobs.slice(1));
    return jobs[0] as Job;
  }

  /**
   * Takes the next job until none is left, or the run stops. After a small job (a PT1H.json blob of an hour) the
   * next is sent to the worker before this one is written: each file was otherwise a round trip, the worker idle
   * while its rows were written and the writer idle while the next file was read and parsed (a folder of 1,919
   * blobs of 57 KB each ran at 6.7k events/s, a third of the same events in two files). A large job keeps its worker
   * busy on its own, running ahead by MAX_CHUNKS_IN_FLIGHT chunks, and is not followed early: a lane that runs out
   * first could not take the job another lane holds.
   */
  async function lane(worker: WorkerParser | null): Promise<void> {
    let job = takeJob(worker);
    let events = job && eventsOf(job, worker);
    let next: Job | null = null;
    try {
      while (job && events) {
        next = worker && shareOf(job) <= SEND_AHEAD_BYTES ? takeJob(worker) : null;
        const nextEvents = next && eventsOf(next, worker);
        await ingestPart(job, events);
        if (stop.signal.aborted) return;
        job = next ?? takeJob(worker);
        events = nextEvents ?? (job && eventsOf(job, worker));
        next = null;
      }
    } finally {
      // A job sent ahead and never read (the run stopped): the range after it must not wait for it.
      if (next) finishJob(next, null);
    }
  }

  let status: 'ok' | 'failed' | 'interrupted' = 'ok';
  try {
    // One lane per worker, each taking the next file; the main thread only writes. (It used to parse a file of its
    // own between writes: with two files of unequal size the worker then idled while the main thread parsed the
    // rest of the larger one and wrote everything, 16-23% slower on the bench's two files.)
    await Promise.allSettled(workers.length > 0 ? workers.map((worker) => lane(worker)) : [lane(null)]);
    const stopped = stopReason();
    if (stopped instanceof StoreWriteFailed) throw stopped.original;
  } catch (error) {
    status = 'failed';
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    await Promise.all(workers.map((worker) => worker.close()));
    if (stopReason() instanceof Interrupted) {
      summary.interrupted = true;
      note('ingest: interrupted: the rows stored are a prefix of each file\'s lines; the same command run again completes it');
    }
    for (const messages of fileMessages) for (const message of messages) note(message);
    summary.seconds = Math.round((performance.now() - started)) / 1000;
    const seen = summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents + summary.duplicates;
    summary.eventsPerSecond = summary.seconds > 0 ? Math.round(seen / summary.seconds) : seen;
    if (summary.filesFailed > 0 && status === 'ok') status = 'failed';
    if (summary.interrupted && status !== 'failed') status = 'interrupted';
    const { perFile: _perFile, messages: _messages, ...recorded } = summary;
    sink.finishRun(runId, status, now(), { ...recorded, perFile: summary.perFile });
  }
  return summary;
}
