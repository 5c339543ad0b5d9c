// The ingest floor: what any ingest that parses every row and keeps every byte costs on this machine, with no
// database at all. Two worker threads decode and JSON.parse each line (as `lineage ingest` does by default) and keep
// the lines' bytes, in either of two arrangements: each worker appends to a file of its own (the least any design
// can do), or hands them to the main thread, which appends them to one file (the shape of Lineage's ingest: one
// writer). No identity, no index, no normalisation.
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { FloorJob, FloorRange } from './floor-worker';

/** The first line start at or after `offset` in the file open as `fd` (the file's size when there is none). */
function lineStartFrom(fd: number, offset: number, size: number): number {
  if (offset === 0) return 0;
  const probe = Buffer.allocUnsafe(1 << 16);
  for (let at = offset - 1; at < size; at += probe.length) {
    const got = readSync(fd, probe, 0, probe.length, at);
    const nl = probe.subarray(0, got).indexOf(10);
    if (nl >= 0) return at + nl + 1;
  }
  return size;
}

/** Splits each file in `parts` ranges at line boundaries; part i of every file goes to worker i. */
function planRanges(paths: readonly string[], parts: number): FloorRange[][] {
  const plan: FloorRange[][] = Array.from({ length: parts }, () => []);
  for (const path of paths) {
    const size = statSync(path).size;
    const fd = openSync(path, 'r');
    const cuts = Array.from({ length: parts + 1 }, (_, i) => (i === parts ? size : lineStartFrom(fd, Math.floor((size * i) / parts), size)));
    closeSync(fd);
    for (let i = 0; i < parts; i++) plan[i]!.push({ path, start: cuts[i]!, end: cuts[i + 1]! });
  }
  return plan;
}

/**
 * Runs the floor into `outPath` (with `writer: 'workers'`, into `outPath.0`, `outPath.1` ...); returns the lines kept.
 * `workerUrl` is the built floor-worker module.
 */
export function floorIngest(paths: readonly string[], outPath: string, workerUrl: URL, writer: 'main' | 'workers', workers = 2): Promise<number> {
  const out = writer === 'main' ? openSync(outPath, 'w') : null;
  let lines = 0;
  let running = workers;
  return new Promise<number>((resolve, reject) => {
    planRanges(paths, workers).forEach((ranges, i) => {
      const job: FloorJob = { ranges, out: out === null ? `${outPath}.${i}` : null };
      const worker = new Worker(workerUrl, { workerData: job });
      worker.on('error', reject);
      worker.on('message', (message: { bytes: Uint8Array | null; lines: number } | null) => {
        if (message) {
          if (out !== null && message.bytes) writeSync(out, message.bytes);
          lines += message.lines;
        } else if (--running === 0) {
          if (out !== null) closeSync(out);
          resolve(lines);
        }
      });
    });
  });
}
