// Ingest benchmark: end-to-end `lineage ingest` of wide MDE rows vs. the plain read + JSON.parse of the same file.
import { createReadStream } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeWideRows } from './wide-rows';

/** Baseline: stream the file, decode each line from the Buffer, JSON.parse it. */
async function readAndParse(path: string): Promise<number> {
  let rows = 0;
  let pending: Buffer | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
      JSON.parse(buf.toString('utf8', start, nl));
      rows++;
      start = nl + 1;
    }
    pending = start < buf.length ? buf.subarray(start) : null;
  }
  return rows;
}

function runIngest(file: string, db: string, workers: string): { seconds: number; rssMb: number; summary: Record<string, unknown> } {
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/lineage.js', 'ingest', file, '--db', db, '--json', '--workers', workers],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`ingest failed: ${child.stderr}`);
  const rssKb = Number(child.stderr.trim().split('\n').pop());
  return { seconds, rssMb: Math.round(rssKb / 1024), summary: JSON.parse(child.stdout) as Record<string, unknown> };
}

export async function benchIngest(dir: string, rows: number): Promise<void> {
  const file = join(dir, 'wide.ndjson');
  const bytes = await writeWideRows(file, rows);
  console.log(`ingest: ${rows.toLocaleString('en-US')} rows, ${(bytes / rows).toFixed(0)} B/row, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
  const t0 = performance.now();
  const parsed = await readAndParse(file);
  const baseline = (performance.now() - t0) / 1000;
  const baseRate = parsed / baseline;
  console.log(`  baseline read + JSON.parse   ${baseline.toFixed(2)} s  ${Math.round(baseRate).toLocaleString('en-US')} rows/s`);
  for (const workers of ['1', '0']) {
    const result = runIngest(file, join(dir, `ingest-w${workers}.db`), workers);
    const rate = rows / result.seconds;
    console.log(`  lineage ingest (workers=${workers})  ${result.seconds.toFixed(2)} s  ${Math.round(rate).toLocaleString('en-US')} events/s`
      + `  (${(rate / baseRate).toFixed(2)}x baseline)  peak RSS ${result.rssMb} MiB  db ${(statSync(join(dir, `ingest-w${workers}.db`)).size / 2 ** 20).toFixed(0)} MiB`);
  }
  const again = runIngest(file, join(dir, 'ingest-w1.db'), '1');
  console.log(`  re-ingest same file: ${again.seconds.toFixed(2)} s, duplicates ${String(again.summary.duplicates)}`);
}
