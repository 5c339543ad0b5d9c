// A store holding a simulated fleet, for detection tests.
import { join } from 'node:path';
import { parseTime, type StoredNetworkEvent, type StoredProcessEvent } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { writeSimulation, type Truth } from '../../src/simulate';
import { createIngestSink, listDevices, openStore, readDeviceEvents, type Store } from '../../src/store';

export interface SimulatedStore {
  db: Store;
  truth: Truth;
  net: StoredNetworkEvent[];
  proc: StoredProcessEvent[];
}

/** Simulates into `dir`, ingests it, and returns the store with all its events loaded. */
export async function simulatedStore(dir: string, options: { seed: number; devices?: number; hours?: number; attacks?: number; nearMisses?: number; rate?: number }): Promise<SimulatedStore> {
  const { truth } = writeSimulation(join(dir, 'sim'), 'mde-ndjson', {
    seed: options.seed, devices: options.devices ?? 5, hours: options.hours ?? 24, start: parseTime('2024-05-06T00:00:00Z')!.ticks,
    attacks: options.attacks ?? 14, nearMisses: options.nearMisses ?? 20, rate: options.rate ?? 20,
  });
  const db = openStore(join(dir, 'l.db'));
  const summary = await ingestPaths([join(dir, 'sim', 'DeviceProcessEvents.json'), join(dir, 'sim', 'DeviceNetworkEvents.json')], { sink: createIngestSink(db), workers: 0 });
  if (summary.rejects > 0) throw new Error(summary.messages.join('\n'));
  const net: StoredNetworkEvent[] = [];
  const proc: StoredProcessEvent[] = [];
  for (const device of listDevices(db)) {
    const slice = readDeviceEvents(db, device.row);
    net.push(...slice.network);
    proc.push(...slice.processes);
  }
  return { db, truth, net, proc };
}
