// Incremental detection benchmark: a full lineage run over the store, then 1% more events appended and the
// incremental refresh timed against a full run over the grown store, in the same process.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { detectLineage, IncrementalLineage } from '../src/detect';
import { parseTime } from '../src/domain';
import { ingestPaths } from '../src/ingest';
import { writeSimulation } from '../src/simulate';
import { createIngestSink, openStore } from '../src/store';

export async function benchIncremental(dir: string, store: string, events: number): Promise<void> {
  const db = openStore(store);
  const incremental = new IncrementalLineage(db);
  let t = performance.now();
  incremental.refresh();
  const first = performance.now() - t;
  // About 1% more events: 5 more devices' day, with planted chains.
  const extra = writeSimulation(join(dir, 'extra'), 'mde-ndjson', { seed: 77, devices: 5, hours: 24, start: parseTime('2024-05-06T00:00:00Z')!.ticks, attacks: 14, nearMisses: 20, rate: Math.max(1, Math.round(events * 0.01 / 5 / 24)) });
  await ingestPaths([join(dir, 'extra', 'DeviceProcessEvents.json'), join(dir, 'extra', 'DeviceNetworkEvents.json')], { sink: createIngestSink(db), workers: 0 });
  t = performance.now();
  const report = incremental.refresh();
  const update = performance.now() - t;
  t = performance.now();
  const full = detectLineage(db);
  const fullAfter = performance.now() - t;
  const same = JSON.stringify(full) === JSON.stringify(incremental.list());
  const added = extra.events.DeviceProcessEvents + extra.events.DeviceNetworkEvents;
  console.log(`incremental: first full run ${first.toFixed(0)} ms; +${added.toLocaleString('en-US')} events appended; incremental refresh ${update.toFixed(0)} ms over ${report.scopes} scopes`
    + ` vs full run ${fullAfter.toFixed(0)} ms = ${(100 * update / fullAfter).toFixed(1)}% of a full run (target <= 5%); same alerts: ${same}`);
  db.close();
}
