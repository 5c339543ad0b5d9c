// Worker-thread entry: parses the files it is sent, one after another in the order sent, and streams chunks back,
// pausing while MAX_CHUNKS_IN_FLIGHT chunks wait for the writer's acknowledgement (so a fast parser never piles a
// file up in memory, nor a run of small files).
import { parentPort } from 'node:worker_threads';
import { LineageError } from '../domain';
import { parseFile, parseRange, type FileRange } from './parse-file';
import { toRowChunk } from './parsed-chunk';
import { readFailureMessage } from './read-failure';
import { MAX_CHUNKS_IN_FLIGHT, type FromWorker, type ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('parse-worker must run in a worker thread');

let inFlight = 0;
let wake: (() => void) | null = null;

function send(message: FromWorker): void {
  // The packed columns buffer owns its memory (allocUnsafeSlow), so it moves to the writer without a copy.
  const transfer = message.type === 'chunk' ? [message.chunk.columns.buffer as ArrayBuffer] : [];
  port?.postMessage(message, transfer);
}

async function run(id: number, path: string, displayName: string, options: Parameters<typeof parseFile>[2],
  range: FileRange | null): Promise<void> {
  try {
    const events = range ? parseRange(path, displayName, options, range) : parseFile(path, displayName, options);
    for await (const event of events) {
      if (event.type === 'start') {
        send({ type: 'start', id, name: event.name, format: event.format, compressed: event.compressed });
        continue;
      }
      if (event.type === 'passedOver') {
        send({ type: 'passedOver', id, name: event.name, message: event.message });
        continue;
      }
      while (inFlight >= MAX_CHUNKS_IN_FLIGHT) await new Promise<void>((resolve) => { wake = resolve; });
      inFlight++;
      send({ type: 'chunk', id, chunk: toRowChunk(event.chunk) });
    }
    send({ type: 'end', id });
  } catch (error) {
    const code = error instanceof LineageError ? error.code : 'read_error';
    send({ type: 'error', id, code, message: readFailureMessage(error, displayName) });
  }
}

/** The files sent, parsed one after another in the order they came (run never rejects). */
let queue = Promise.resolve();

port.on('message', (message: ToWorker) => {
  if (message.type === 'ack') {
    inFlight--;
    const resume = wake;
    wake = null;
    resume?.();
  } else {
    queue = queue.then(() => run(message.id, message.path, message.displayName, message.options, message.range));
  }
});
