// Reads one device's events in a time range, hot columns only, ordered by time: the slice a device graph is built
// from. Served by the (device, ts, ident) indexes; memory is bounded by the slice.
import type { DeviceRecord, StoredNetworkEvent, StoredProcessEvent, Ticks } from '../domain';
import { MAX_TICKS, MIN_TICKS, NETWORK_SELECT, networkFromRow, PROCESS_SELECT, processFromRow } from './event-rows';
import type { Store } from './open-store';
import { prepared } from './prepared';

export interface DeviceSlice {
  processes: StoredProcessEvent[];
  network: StoredNetworkEvent[];
}

/** Whether any source was read as Windows event logs (whose Sysmon network events have an inexact clock). */
export function hasWindowsEvents(db: Store): boolean {
  return prepared(db, "SELECT EXISTS (SELECT 1 FROM sources WHERE format = 'windows-events')").pluck().get() === 1;
}

/** How many devices the store holds. */
export function countDevices(db: Store): number {
  return prepared(db, 'SELECT count(*) FROM devices').pluck().get() as number;
}

/** Whether the store holds a device with this DeviceId: one seek in its unique index. */
export function hasDevice(db: Store, deviceId: string): boolean {
  return prepared(db, 'SELECT EXISTS (SELECT 1 FROM devices WHERE device_id = ?)').pluck().get(deviceId) === 1;
}

/** Every device, in device-id order. */
export function listDevices(db: Store): DeviceRecord[] {
  return prepared(db, 'SELECT id AS row, device_id AS deviceId, device_name AS deviceName FROM devices ORDER BY device_id').all() as DeviceRecord[];
}

/** The device's events with from <= Timestamp < to (either bound optional). */
export function readDeviceEvents(db: Store, deviceRow: number, from: Ticks | null = null, to: Ticks | null = null): DeviceSlice {
  const range = [deviceRow, from ?? MIN_TICKS, to ?? MAX_TICKS];
  const processes = (prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events e JOIN devices d ON d.id = e.device
    WHERE e.device = ? AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`).raw().all(...range) as unknown[][]).map(processFromRow);
  const network = (prepared(db, `SELECT ${NETWORK_SELECT} FROM network_events e JOIN devices d ON d.id = e.device
    WHERE e.device = ? AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`).raw().all(...range) as unknown[][]).map(networkFromRow);
  return { processes, network };
}

/**
 * The earliest and latest event time in the store, or null when it is empty. Per device and table, one seek to each
 * end of its (device, ts) index: min(ts) over a table would read every row (90 ms on 928k events, against 1).
 */
export function storedTimeRange(db: Store): { from: Ticks; to: Ticks } | null {
  const ends = (table: string): string => `SELECT (SELECT min(ts) FROM ${table} WHERE device = d.id) AS lo,
    (SELECT max(ts) FROM ${table} WHERE device = d.id) AS hi FROM devices d`;
  const row = prepared(db, `SELECT min(lo) AS lo, max(hi) AS hi FROM (${ends('process_events')} UNION ALL ${ends('network_events')})`)
    .safeIntegers().get() as { lo: bigint | null; hi: bigint | null };
  return row.lo === null || row.hi === null ? null : { from: row.lo, to: row.hi };
}
