// Simulator benchmark: how long `lineage simulate` takes for a fleet of about `events` events.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseTime } from '../src/domain';
import { ATTACK_KINDS, NEAR_MISS_KINDS, writeSimulation } from '../src/simulate';

/**
 * Simulates at least `events` events (100 devices x 24 h) into `dir`; returns the two NDJSON files written and the
 * events they hold. The simulator writes about 93% of devices x hours x rate (quiet hours), hence the margin.
 */
export function benchSimulate(dir: string, events: number): { files: string[]; events: number } {
  const devices = 100;
  const hours = 24;
  const started = performance.now();
  const summary = writeSimulation(dir, 'mde-ndjson', {
    seed: 42, devices, hours, start: parseTime('2024-05-06T00:00:00Z')!.ticks,
    attacks: ATTACK_KINDS.length * 3, nearMisses: NEAR_MISS_KINDS.length * 3, rate: Math.max(1, Math.ceil((events * 1.1) / devices / hours)),
  });
  const seconds = (performance.now() - started) / 1000;
  const total = summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents;
  const bytes = summary.files.slice(0, 2).reduce((sum, file) => sum + statSync(file).size, 0);
  console.log(`simulate: ${total.toLocaleString('en-US')} events (${devices} devices x ${hours} h, ${(bytes / 2 ** 20).toFixed(0)} MiB, ${(bytes / total).toFixed(0)} B/event) in ${seconds.toFixed(2)} s`
    + ` = ${Math.round(total / seconds).toLocaleString('en-US')} events/s; 1M events in ${(seconds * 1e6 / total).toFixed(1)} s (target < 20 s)`);
  return { files: summary.files.slice(0, 2).map((file) => join(file)), events: total };
}
