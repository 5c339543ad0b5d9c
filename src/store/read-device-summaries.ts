// Devices with their event counts and first/last event times (the API's device list).
import { formatTicks } from '../domain';
import type { Store } from './open-store';
import { prepared } from './prepared';

export interface DeviceSummary {
  deviceId: string;
  deviceName: string;
  events: { DeviceProcessEvents: number; DeviceNetworkEvents: number };
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Every device, in name order. */
export function readDeviceSummaries(db: Store): DeviceSummary[] {
  const rows = prepared(db, `SELECT d.device_id, d.device_name,
      (SELECT count(*) FROM process_events WHERE device = d.id) AS p,
      (SELECT count(*) FROM network_events WHERE device = d.id) AS n,
      min(coalesce((SELECT min(ts) FROM process_events WHERE device = d.id), 9223372036854775807), coalesce((SELECT min(ts) FROM network_events WHERE device = d.id), 9223372036854775807)) AS lo,
      max(coalesce((SELECT max(ts) FROM process_events WHERE device = d.id), -9223372036854775807), coalesce((SELECT max(ts) FROM network_events WHERE device = d.id), -9223372036854775807)) AS hi
    FROM devices d ORDER BY d.device_name, d.device_id`).safeIntegers().raw().all() as unknown[][];
  return rows.map((r) => {
    const lo = r[4] as bigint | null;
    const hi = r[5] as bigint;
    const empty = Number(r[2]) + Number(r[3]) === 0;
    return {
      deviceId: r[0] as string, deviceName: r[1] as string,
      events: { DeviceProcessEvents: Number(r[2]), DeviceNetworkEvents: Number(r[3]) },
      firstSeen: empty || lo === null ? null : formatTicks(lo), lastSeen: empty ? null : formatTicks(hi),
    };
  });
}
