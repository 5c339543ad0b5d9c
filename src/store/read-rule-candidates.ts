// The narrow reads the DCOM rule needs, each served by a partial index of schema v2: connections on local port 135,
// processes started by an svchost.exe, services.exe starts (boots), and the processes a given PID started.
import type { StoredNetworkEvent, StoredProcessEvent, Ticks } from '../domain';
import { MAX_TICKS, MIN_TICKS, NETWORK_SELECT, networkFromRow, PROCESS_SELECT, processFromRow } from './event-rows';
import type { Store } from './open-store';

export interface BootRecord {
  deviceRow: number;
  deviceId: string;
  time: Ticks;
}

const bounds = (from: Ticks | null, to: Ticks | null): [Ticks, Ticks] => [from ?? MIN_TICKS, to ?? MAX_TICKS];

/** Network events with LocalPort == 135 in [from, to), in time order. */
export function readPort135Connections(db: Store, from: Ticks | null, to: Ticks | null): StoredNetworkEvent[] {
  return (db.prepare(`SELECT ${NETWORK_SELECT} FROM network_events e INDEXED BY network_events_port135 JOIN devices d ON d.id = e.device
    WHERE e.local_port = 135 AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`).safeIntegers().raw().all(...bounds(from, to)) as unknown[][]).map(networkFromRow);
}

/** Process events whose initiating process is named svchost.exe (any case) in [from, to), in time order. */
export function readSvchostSpawns(db: Store, from: Ticks | null, to: Ticks | null): StoredProcessEvent[] {
  return (db.prepare(`SELECT ${PROCESS_SELECT} FROM process_events e INDEXED BY process_events_by_svchost JOIN devices d ON d.id = e.device
    WHERE e.init_file_name = 'svchost.exe' COLLATE NOCASE AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`)
    .safeIntegers().raw().all(...bounds(from, to)) as unknown[][]).map(processFromRow);
}

/** services.exe process starts (boots) in [from, to), in time order. */
export function readBoots(db: Store, from: Ticks | null, to: Ticks | null): BootRecord[] {
  return (db.prepare(`SELECT e.device, d.device_id, e.ts FROM process_events e INDEXED BY process_events_boots JOIN devices d ON d.id = e.device
    WHERE e.file_name = 'services.exe' COLLATE NOCASE AND e.ts >= ? AND e.ts < ? ORDER BY e.ts`).safeIntegers().raw()
    .all(...bounds(from, to)) as unknown[][]).map((r) => ({ deviceRow: Number(r[0]), deviceId: r[1] as string, time: r[2] as bigint }));
}

/** Process events on a device whose initiating PID is `pid` (and, if given, creation time), in [from, to). */
export function readSpawnedBy(db: Store, deviceId: string, pid: number, createdAt: Ticks | null, from: Ticks | null, to: Ticks | null): StoredProcessEvent[] {
  const sql = `SELECT ${PROCESS_SELECT} FROM process_events e JOIN devices d ON d.id = e.device
    WHERE d.device_id = ? AND e.init_pid = ? ${createdAt === null ? '' : 'AND e.init_created = ?'} AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`;
  const params = createdAt === null ? [deviceId, pid, ...bounds(from, to)] : [deviceId, pid, createdAt, ...bounds(from, to)];
  return (db.prepare(sql).safeIntegers().raw().all(...params) as unknown[][]).map(processFromRow);
}
