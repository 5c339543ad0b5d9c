// The coordinator's handle on a parse worker: sends it a file, yields the chunks it streams back, acknowledges
// each chunk once the writer is done with it (the worker's flow control).
import { Worker } from 'node:worker_threads';
import { LineageError } from '../domain';
import { AsyncQueue } from './async-queue';
import type { FileParseEvent, FileRange, ParseFileOptions } from './parse-file';
import type { RowChunk } from './parsed-chunk';
import type { FromWorker, ToWorker } from './worker-protocol';

/**
 * Where the worker script is: dist/parse-worker.js when bundled (this module then lives in dist/ or dist/chunks/),
 * the TypeScript source through a tsx bootstrap otherwise (tests).
 */
function workerLocation(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./parse-worker-dev.mjs', here);
  return new URL(here.includes('/chunks/') ? '../parse-worker.js' : './parse-worker.js', here);
}

type WorkerEvent = FromWorker | { type: 'crash'; error: Error };

export class WorkerParser {
  private readonly worker: Worker;
  /** The events of each file sent and not yet read to its end, by request id. */
  private readonly queues = new Map<number, AsyncQueue<WorkerEvent>>();
  private nextId = 1;
  /** Set when the worker died: every later parse fails with it instead of waiting for a reply that never comes. */
  private crash: Error | null = null;

  constructor() {
    // V8's default young generation. A 64 MB one (set since 5790fa9, whose message said the opposite) measured
    // slower and larger: fleet, 928k events, four interleaved pairs, medians 43.8k against 45.5k events/s with the
    // default, peak RSS 489-501 against 426-438 MiB.
    this.worker = new Worker(workerLocation());
    this.worker.on('message', (message: FromWorker) => this.queues.get(message.id)?.push(message));
    this.worker.on('error', (error) => {
      this.crash = error;
      for (const queue of this.queues.values()) queue.push({ type: 'crash', error });
    });
  }

  /**
   * Sends `path` (only `range` of it, if given) to the worker now, and returns its events. The worker parses what it
   * is sent in that order, one file at a time, so a caller may send the next file before it has read this one's
   * events: the next parse then overlaps the writing of these. Events must be read in the order files were sent. Each
   * chunk is acknowledged when the consumer asks for the next one: a consumer that holds on to a chunk holds the
   * worker back after MAX_CHUNKS_IN_FLIGHT of them.
   */
  parse(path: string, displayName: string, options: ParseFileOptions,
    range: FileRange | null = null): AsyncGenerator<FileParseEvent<RowChunk>> {
    const id = this.nextId++;
    const queue = new AsyncQueue<WorkerEvent>();
    if (this.crash) {
      queue.push({ type: 'crash', error: this.crash });
    } else {
      this.queues.set(id, queue);
      this.post({ type: 'parse', id, path, displayName, options, range });
    }
    return this.events(id, queue);
  }

  private async *events(id: number, queue: AsyncQueue<WorkerEvent>): AsyncGenerator<FileParseEvent<RowChunk>> {
    try {
      for (;;) {
        const message = await queue.next();
        if (message.type === 'crash') throw message.error;
        if (message.type === 'end') return;
        if (message.type === 'error') throw new LineageError(message.code, message.message);
        if (message.type === 'start') yield { type: 'start', name: message.name, format: message.format, compressed: message.compressed };
        else if (message.type === 'passedOver') yield { type: 'passedOver', name: message.name, message: message.message };
        else {
          yield { type: 'chunk', chunk: message.chunk };
          this.post({ type: 'ack', id });
        }
      }
    } finally {
      this.queues.delete(id);
    }
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
