// Ingest benchmark: end-to-end `lineage ingest` of the simulated fleet vs. the plain read + JSON.parse of the same
// files (decoding each line from the Buffer on its own), both measured in this run.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { floorIngest } from './floor-ingest';

async function readAndParse(paths: readonly string[]): Promise<number> {
  let rows = 0;
  for (const path of paths) {
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
  }
  return rows;
}

interface IngestRun { seconds: number; rssMb: number; cpuSeconds: number; summary: { duplicates: number; events: Record<string, number> } }

/**
 * Writes back what earlier steps left dirty (the simulator's 2.3 GB, the last store), so that each timing is its own
 * work, not the kernel flushing the previous step's.
 */
export function settleDisk(): void {
  spawnSync('sync');
}

function runIngest(paths: readonly string[], db: string, workers: string): IngestRun {
  settleDisk();
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, 'bin/lineage.js', 'ingest', ...paths, '--db', db, '--json', '--workers', workers],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`ingest failed: ${child.stderr}`);
  const [rssKb, user, system] = (child.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return {
    seconds, rssMb: Math.round((rssKb ?? 0) / 1024), cpuSeconds: (user ?? 0) + (system ?? 0),
    summary: JSON.parse(child.stdout) as IngestRun['summary'],
  };
}

export async function benchIngest(dir: string, paths: readonly string[]): Promise<void> {
  const bytes = paths.reduce((sum, path) => sum + statSync(path).size, 0);
  settleDisk();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const rows = await readAndParse(paths);
  const baseline = (performance.now() - t0) / 1000;
  const baseCpu = process.cpuUsage(cpu0);
  const baseRate = rows / baseline;
  console.log(`ingest: ${rows.toLocaleString('en-US')} rows, ${(bytes / rows).toFixed(0)} B/row, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
  console.log(`  baseline read + JSON.parse     ${baseline.toFixed(2)} s  ${Math.round(baseRate).toLocaleString('en-US')} rows/s;`
    + ` CPU ${((baseCpu.user + baseCpu.system) / rows).toFixed(1)} µs/row (user + system: on this noisy machine steadier than the rate)`);
  // The floor of any design: parse on two workers and keep every byte, no database (floor-ingest.ts).
  const floors = new Map<string, number>();
  for (const [writer, label] of [['workers', 'each worker appends to its own file'], ['main', 'one writer thread appends']] as const) {
    settleDisk();
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const out = join(dir, 'floor.ndjson');
    const floorRows = await floorIngest(paths, out, new URL('./floor-worker.js', import.meta.url), writer);
    const seconds = (performance.now() - t1) / 1000;
    const floorCpu = process.cpuUsage(cpu1);
    floors.set(writer, floorRows / seconds);
    for (const name of [out, `${out}.0`, `${out}.1`]) rmSync(name, { force: true });
    console.log(`  floor, no database: 2 workers parse, ${label}  ${seconds.toFixed(2)} s  ${Math.round(floorRows / seconds).toLocaleString('en-US')} rows/s;`
      + ` CPU ${((floorCpu.user + floorCpu.system) / floorRows).toFixed(1)} µs/row${floorRows === rows ? '' : ` (${floorRows} rows: the split lost or doubled lines)`}`);
  }
  const floorRate = floors.get('main') ?? 0;
  const runs = new Map<string, IngestRun>();
  for (const workers of ['2', '1', '0']) {
    const db = join(dir, `ingest-w${workers}.db`);
    const run = runIngest(paths, db, workers);
    runs.set(workers, run);
    const rate = rows / run.seconds;
    console.log(`  lineage ingest (--workers ${workers})  ${run.seconds.toFixed(2)} s  ${Math.round(rate).toLocaleString('en-US')} events/s`
      + `  = ${(rate / baseRate).toFixed(2)}x baseline, ${(rate / floorRate).toFixed(2)}x the one-writer floor; CPU ${((run.cpuSeconds * 1e6) / rows).toFixed(1)} µs/event (user + system); peak RSS ${run.rssMb} MiB; store ${(statSync(db).size / 2 ** 20).toFixed(0)} MiB + column log ${(statSync(`${db}-columns`).size / 2 ** 20).toFixed(0)} MiB (target 150,000 events/s)`);
  }
  const again = runIngest(paths, join(dir, 'ingest-w1.db'), '1');
  console.log(`  re-ingest of the same files    ${again.seconds.toFixed(2)} s  ${Math.round(rows / again.seconds).toLocaleString('en-US')} events/s, duplicates ${again.summary.duplicates.toLocaleString('en-US')}`);
  // Memory must not grow with the input: the same ingest of the smaller file alone, for its peak RSS.
  const smallest = [...paths].sort((a, b) => statSync(a).size - statSync(b).size)[0] as string;
  const part = runIngest([smallest], join(dir, 'ingest-part.db'), '2');
  console.log(`  peak RSS against input size (--workers 2): ${(statSync(smallest).size / 2 ** 20).toFixed(0)} MiB in, ${part.rssMb} MiB;`
    + ` ${(bytes / 2 ** 20).toFixed(0)} MiB in, ${runs.get('2')?.rssMb} MiB`);
}

/** The first `count` lines of `path` (each with its newline). */
function firstLines(path: string, count: number): string[] {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const lines: string[] = [];
  let rest = '';
  try {
    for (let read = readSync(fd, buffer); read > 0 && lines.length < count; read = readSync(fd, buffer)) {
      const parts = (rest + buffer.toString('utf8', 0, read)).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) if (lines.length < count && part !== '') lines.push(`${part}\n`);
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

/**
 * A folder of small files, as Azure Storage keeps a small tenant's streaming API blobs (a PT1H.json per table and hour,
 * many folders deep), against the same events in one file per table: what each file costs beyond its rows.
 */
export function benchSmallFiles(dir: string, paths: readonly string[], eventsPerTable = 20_000): void {
  const blobs = join(dir, 'blobs');
  const whole = join(dir, 'whole');
  mkdirSync(whole, { recursive: true });
  let files = 0;
  let events = 0;
  for (const path of paths) {
    const lines = firstLines(path, eventsPerTable);
    const table = path.includes('Network') ? 'DeviceNetworkEvents' : 'DeviceProcessEvents';
    writeFileSync(join(whole, `${table}.json`), lines.join(''));
    const byBlob = new Map<string, string[]>();
    for (const line of lines) {
      const row = JSON.parse(line) as { DeviceId: string; Timestamp: string };
      const t = row.Timestamp;
      const folder = join(blobs, `insights-logs-advancedhunting-${table.toLowerCase()}`, `y=${t.slice(0, 4)}`, `m=${t.slice(5, 7)}`,
        `d=${t.slice(8, 10)}`, `h=${t.slice(11, 13)}`, `device=${row.DeviceId.slice(0, 12)}`);
      let blob = byBlob.get(folder);
      if (!blob) byBlob.set(folder, blob = []);
      blob.push(line);
    }
    for (const [folder, blob] of byBlob) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${table}.json`), blob.join(''));
    }
    files += byBlob.size;
    events += lines.length;
  }
  const inBlobs = runIngest([blobs], join(dir, 'blobs.db'), '2');
  const inWhole = runIngest([whole], join(dir, 'whole.db'), '2');
  const blobRate = events / inBlobs.seconds;
  const wholeRate = events / inWhole.seconds;
  console.log(`  a folder of ${files.toLocaleString('en-US')} small files (${Math.round(events / files)} events each, one per device and hour,`
    + ` many folders deep: as a small tenant's hourly blobs are kept): ${inBlobs.seconds.toFixed(2)} s  ${Math.round(blobRate).toLocaleString('en-US')} events/s;`
    + ` the same ${events.toLocaleString('en-US')} events in ${paths.length} files: ${Math.round(wholeRate).toLocaleString('en-US')} events/s`
    + ` (${(blobRate / wholeRate).toFixed(2)}x)`);
  rmSync(blobs, { recursive: true, force: true });
  rmSync(whole, { recursive: true, force: true });
  for (const name of ['blobs.db', 'whole.db']) for (const suffix of ['', '-wal', '-shm', '-columns']) rmSync(join(dir, name + suffix), { force: true });
}
