// Worker of the ingest floor (floor-ingest.ts): reads byte ranges of NDJSON files, decodes and JSON.parses each line
// on its own, and keeps every line's bytes: handed to the main thread in batches, or appended to a file of its own.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

export interface FloorRange { path: string; start: number; end: number }
export interface FloorJob { ranges: FloorRange[]; /** The worker's own output file; null: hand the bytes to the main thread. */ out: string | null }

const BATCH_BYTES = 8 << 20;
const port = parentPort;
if (!port) throw new Error('floor-worker: not in a worker thread');

const { ranges, out } = workerData as FloorJob;
const own = out === null ? null : openSync(out, 'w');
const batch = Buffer.allocUnsafe(BATCH_BYTES);
let used = 0;
let lines = 0;
function handOver(): void {
  if (own === null) {
    const bytes = new Uint8Array(used);
    bytes.set(batch.subarray(0, used));
    port!.postMessage({ bytes, lines }, [bytes.buffer]);
  } else {
    writeSync(own, batch, 0, used);
    port!.postMessage({ bytes: null, lines });
  }
  used = 0;
  lines = 0;
}

const block = Buffer.allocUnsafe(4 << 20);
for (const { path, start, end } of ranges) {
  const fd = openSync(path, 'r');
  let have = 0;
  for (let at = start; ;) {
    const got = at < end ? readSync(fd, block, have, Math.min(block.length - have, end - at), at) : 0;
    at += got;
    have += got;
    let from = 0;
    for (let nl = block.indexOf(10, from); nl >= 0 && nl < have; nl = block.indexOf(10, from)) {
      JSON.parse(block.toString('utf8', from, nl));
      if (used + nl + 1 - from > BATCH_BYTES) handOver();
      used += block.copy(batch, used, from, nl + 1);
      lines++;
      from = nl + 1;
    }
    block.copy(block, 0, from, have);
    have -= from;
    if (got === 0) break;
  }
  closeSync(fd);
}
if (used > 0) handOver();
if (own !== null) closeSync(own);
port.postMessage(null);
