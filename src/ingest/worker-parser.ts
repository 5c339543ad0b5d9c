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

export class WorkerParser {
  private readonly worker: Worker;
  private readonly queue = new AsyncQueue<FromWorker | { type: 'crash'; error: Error }>();
  private nextId = 1;
  /** Set when the worker died: every later parse fails with it instead of waiting for a reply that never comes. */
  private crash: Error | null = null;

  constructor() {
    this.worker = new Worker(workerLocation(), { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    this.worker.on('message', (message: FromWorker) => this.queue.push(message));
    this.worker.on('error', (error) => {
      this.crash = error;
      this.queue.push({ type: 'crash', error });
    });
  }

  /**
   * Parses `path` (only `range` of it, if given) in the worker. Each chunk is acknowledged when the consumer asks for
   * the next one: a consumer that holds on to a chunk holds the worker back after MAX_CHUNKS_IN_FLIGHT of them.
   */
  async *parse(path: string, displayName: string, options: ParseFileOptions,
    range: FileRange | null = null): AsyncGenerator<FileParseEvent<RowChunk>> {
    if (this.crash) throw this.crash;
    const id = this.nextId++;
    this.post({ type: 'parse', id, path, displayName, options, range });
    for (;;) {
      const message = await this.queue.next();
      if (message.type === 'crash') throw message.error;
      if (message.id !== id) continue;
      if (message.type === 'end') return;
      if (message.type === 'error') throw new LineageError(message.code, message.message);
      if (message.type === 'start') yield { type: 'start', name: message.name, format: message.format, compressed: message.compressed };
      else if (message.type === 'passedOver') yield { type: 'passedOver', name: message.name, message: message.message };
      else {
        yield { type: 'chunk', chunk: message.chunk };
        this.post({ type: 'ack', id });
      }
    }
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
