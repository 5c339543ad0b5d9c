// Incremental detection benchmark. Two appends of about 1% more events, each refresh timed against a full run over
// the grown store in the same process, alerts compared:
// - the stream case: the store holds the fleet's first 99% (by time) and the last 1% arrives, every device's next
//   minutes with the fleet's own density of chains (what a live feed appends);
// - the dense case: 5 whole new device-days carrying as many planted chains as a third of the fleet (about 30 times
//   the fleet's density): the worst case for a refresh whose cost follows the chains it must re-examine.
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { detectLineage, IncrementalLineage } from '../src/detect';
import { parseTime, type Ticks } from '../src/domain';
import { ingestPaths } from '../src/ingest';
import { writeSimulation } from '../src/simulate';
import { createIngestSink, openStore, type Store } from '../src/store';

const TIMESTAMP = /"Timestamp":"([^"]+)"/;

async function timesOf(file: string): Promise<Ticks[]> {
  const times: Ticks[] = [];
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const match = TIMESTAMP.exec(line);
    if (match) times.push(parseTime(match[1] as string)!.ticks);
  }
  return times;
}

/** Writes the lines of `file` before `cut` to `head` and the rest to `tail`. */
async function split(file: string, cut: Ticks, head: string, tail: string): Promise<void> {
  const out = [createWriteStream(head), createWriteStream(tail)];
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const match = TIMESTAMP.exec(line);
    const late = match ? parseTime(match[1] as string)!.ticks >= cut : false;
    (out[late ? 1 : 0] as NodeJS.WritableStream).write(`${line}\n`);
  }
  await Promise.all(out.map((stream) => new Promise((resolve) => stream.end(resolve))));
}

const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;

/** Appends, then times the refresh (the first, and the median of 21 from the same state) against full runs (median of 7). */
async function timeRefresh(db: Store, incremental: IncrementalLineage, append: string[], label: string, added: number): Promise<IncrementalLineage> {
  await ingestPaths(append, { sink: createIngestSink(db), workers: 0 });
  const refreshes: number[] = [];
  let refreshed = incremental;
  let scopes = 0;
  for (let i = 0; i < 21; i++) {
    const copy = incremental.clone();
    const t = performance.now();
    scopes = copy.refresh().scopes;
    refreshes.push(performance.now() - t);
    refreshed = copy;
  }
  const fulls: number[] = [];
  let full = detectLineage(db);
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    full = detectLineage(db);
    fulls.push(performance.now() - t);
  }
  const same = JSON.stringify(full) === JSON.stringify(refreshed.list());
  console.log(`incremental (${label}): +${added.toLocaleString('en-US')} events; refresh ${median(refreshes).toFixed(1)} ms (first ${(refreshes[0] as number).toFixed(1)} ms) over ${scopes} scopes`
    + ` vs full run ${median(fulls).toFixed(0)} ms = ${(100 * median(refreshes) / median(fulls)).toFixed(1)}% of a full run (target <= 5%; medians of 21 and 7 runs); same alerts: ${same}`);
  return refreshed;
}

export async function benchIncremental(dir: string, files: readonly string[], events: number): Promise<void> {
  // The stream case: cut the fleet at the time that leaves 1% of its events after it.
  const times = (await Promise.all(files.map(timesOf))).flat().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const cut = times[Math.floor(times.length * 0.99)] as Ticks;
  const heads: string[] = [];
  const tails: string[] = [];
  for (const [i, file] of files.entries()) {
    heads.push(join(dir, `head-${i}.json`));
    tails.push(join(dir, `tail-${i}.json`));
    await split(file, cut, heads[i] as string, tails[i] as string);
  }
  const db = openStore(join(dir, 'incremental.db'));
  await ingestPaths(heads, { sink: createIngestSink(db), workers: 1 });
  const incremental = new IncrementalLineage(db);
  const t = performance.now();
  incremental.refresh();
  console.log(`incremental: first full run ${(performance.now() - t).toFixed(0)} ms over the first 99% of the fleet`);
  const streamed = await timeRefresh(db, incremental, tails, 'stream: the last 1% of the fleet', times.length - Math.floor(times.length * 0.99));
  // The dense case, on top.
  const extra = writeSimulation(join(dir, 'extra'), 'mde-ndjson', { seed: 77, devices: 5, hours: 24, start: parseTime('2024-05-06T00:00:00Z')!.ticks, attacks: 14, nearMisses: 20, rate: Math.max(1, Math.round(events * 0.01 / 5 / 24)) });
  await timeRefresh(db, streamed, [join(dir, 'extra', 'DeviceProcessEvents.json'), join(dir, 'extra', 'DeviceNetworkEvents.json')],
    'dense: 5 new device-days, 34 planted chains', extra.events.DeviceProcessEvents + extra.events.DeviceNetworkEvents);
  db.close();
}
