// The narrow reads the DCOM rule needs, each served by a partial index: connections on local port 135 owned by a
// process whose command line mentions rpcss, processes started by an svchost.exe whose command line mentions
// dcomlaunch, services.exe starts (boots), and the processes a given PID started.
import type { StoredNetworkEvent, StoredProcessEvent, Ticks } from '../domain';
import { BOOT, DCOMLAUNCH_START, MAX_TICKS, MIN_TICKS, NETWORK_SELECT, networkFromRow, PROCESS_SELECT, processFromRow, RPC135 } from './event-rows';
import type { Store } from './open-store';
import { prepared } from './prepared';

export interface BootRecord {
  deviceRow: number;
  deviceId: string;
  time: Ticks;
}

const bounds = (from: Ticks | null, to: Ticks | null): [Ticks, Ticks] => [from ?? MIN_TICKS, to ?? MAX_TICKS];

/** Network events with LocalPort == 135 whose owner's command line mentions rpcss, in [from, to), in time order. */
export function readPort135Connections(db: Store, from: Ticks | null, to: Ticks | null): StoredNetworkEvent[] {
  return (prepared(db, `SELECT ${NETWORK_SELECT} FROM network_events e INDEXED BY network_events_rpc135 JOIN devices d ON d.id = e.device
    WHERE ${RPC135('e')} AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`).raw().all(...bounds(from, to)) as unknown[][]).map(networkFromRow);
}

/**
 * Process events started by an svchost.exe (any case) whose command line mentions dcomlaunch or is not in the data,
 * in [from, to), in time order.
 */
export function readSvchostSpawns(db: Store, from: Ticks | null, to: Ticks | null): StoredProcessEvent[] {
  return (prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events e INDEXED BY process_events_dcomlaunch JOIN devices d ON d.id = e.device
    WHERE ${DCOMLAUNCH_START('e')}
      AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`)
    .raw().all(...bounds(from, to)) as unknown[][]).map(processFromRow);
}

/** services.exe process starts (boots) in [from, to), in time order. */
export function readBoots(db: Store, from: Ticks | null, to: Ticks | null): BootRecord[] {
  return (prepared(db, `SELECT e.device, d.device_id, e.ts FROM process_events e INDEXED BY process_events_boots JOIN devices d ON d.id = e.device
    WHERE ${BOOT('e')} AND e.ts >= ? AND e.ts < ? ORDER BY e.ts`).safeIntegers().raw()
    .all(...bounds(from, to)) as unknown[][]).map((r) => ({ deviceRow: Number(r[0]), deviceId: r[1] as string, time: r[2] as bigint }));
}

/** Process events on a device whose initiating PID is `pid` (and, if given, creation time, or else `uniqueId`), in [from, to). */
export function readSpawnedBy(
  db: Store, deviceId: string, pid: number, createdAt: Ticks | null, from: Ticks | null, to: Ticks | null, uniqueId = '',
): StoredProcessEvent[] {
  // Sources that key processes by a unique id (Sysmon's ProcessGuid) name the parent by it, without its creation time.
  const parent = createdAt === null ? '' : uniqueId === '' ? 'AND e.init_created = ?'
    : 'AND (e.init_created = ? OR (e.init_created IS NULL AND e.init_unique_id = ?))';
  const sql = `SELECT ${PROCESS_SELECT} FROM process_events e INDEXED BY process_events_initiator JOIN devices d ON d.id = e.device
    WHERE d.device_id = ? AND e.init_pid = ? ${parent} AND e.ts >= ? AND e.ts < ? ORDER BY e.ts, e.ident`;
  const identity = createdAt === null ? [] : uniqueId === '' ? [createdAt] : [createdAt, uniqueId];
  return (prepared(db, sql).raw().all(deviceId, pid, ...identity, ...bounds(from, to)) as unknown[][]).map(processFromRow);
}

export interface ConnectionActivationPair {
  connection: StoredNetworkEvent;
  activation: StoredProcessEvent;
}

/**
 * Pairs of a port-135 connection whose owner's command line mentions rpcss and a process started by an svchost.exe
 * whose command line mentions dcomlaunch (or is not in the data), on the same device, the process's Timestamp in
 * [base + lo, base + hi) where base is the connection's Timestamp, floored to the second when `floorToSecond`.
 * Both events in [from, to). One indexed range join: only rows of pairs are read, never every candidate.
 */
export interface PairFilter {
  /** Drop activations with these file names (compared in lower case) in SQL, before any row is read. */
  excludeFileNames?: readonly string[];
  /** Drop activations at these paths (compared in lower case) in SQL. */
  excludePaths?: readonly string[];
  /** Then keep only the pairs whose activation this accepts. */
  keep?: (activation: { fileName: string; folderPath: string; commandLine: string }) => boolean;
  /** Only this device. */
  deviceId?: string | null;
}

export function readConnectionActivationPairs(db: Store, from: Ticks | null, to: Ticks | null, lo: Ticks, hi: Ticks, floorToSecond: boolean,
  filter: PairFilter = {}): ConnectionActivationPair[] {
  const keep = filter.keep ?? (() => true);
  const lowered = (items: readonly string[] | undefined): string => JSON.stringify((items ?? []).map((i) => i.toLowerCase()));
  const base = floorToSecond ? '(n.ts - n.ts % 10000000)' : 'n.ts';
  const [lower, upper] = bounds(from, to);
  // One lower and one upper bound on p.ts (max/min of the pair window and the range), so the index range is the
  // pair window: with two separate bounds SQLite may pick the range's and scan the device's whole history.
  // Two steps: the pairs with what `keep` needs to judge the activation, then whole rows of the pairs it keeps.
  // A bounded range over every device is driven from the devices, so each device's connections are one index range
  // (device, ts): a window of minutes in a day-long store reads minutes, not the day. Unbounded, one scan is cheaper.
  const byDevice = !filter.deviceId && (from !== null || to !== null);
  const pairs = prepared(db, `SELECT n.id, p.id, p.file_name, p.folder_path, p.cmdline
    FROM ${byDevice ? 'devices dv CROSS JOIN ' : ''}network_events n INDEXED BY network_events_rpc135${byDevice ? ' ON n.device = dv.id' : ''}
    CROSS JOIN process_events p INDEXED BY process_events_dcomlaunch
      ON p.device = n.device AND p.ts >= max(${base} + ?, ?) AND p.ts < min(${base} + ?, ?)
    WHERE ${RPC135('n')} AND n.ts >= ? AND n.ts < ?
      ${filter.deviceId ? 'AND n.device = (SELECT id FROM devices WHERE device_id = ?)' : ''}
      AND ${DCOMLAUNCH_START('p')}
      AND lower(p.file_name) NOT IN (SELECT value FROM json_each(?)) AND lower(p.folder_path) NOT IN (SELECT value FROM json_each(?))
    ORDER BY n.ts, n.ident, p.ts, p.ident`).raw().all(lo, lower, hi, upper, lower, upper, ...(filter.deviceId ? [filter.deviceId] : []),
      lowered(filter.excludeFileNames), lowered(filter.excludePaths)) as Array<[number, number, string, string, string]>;
  const connectionById = prepared(db, `SELECT ${NETWORK_SELECT} FROM network_events e JOIN devices d ON d.id = e.device WHERE e.id = ?`).raw();
  const processById = prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events e JOIN devices d ON d.id = e.device WHERE e.id = ?`).raw();
  const connections = new Map<number, StoredNetworkEvent>();
  const activations = new Map<number, StoredProcessEvent>();
  const out: ConnectionActivationPair[] = [];
  for (const [connectionId, activationId, fileName, folderPath, commandLine] of pairs) {
    if (!keep({ fileName, folderPath, commandLine })) continue;
    let connection = connections.get(connectionId);
    if (!connection) connections.set(connectionId, connection = networkFromRow(connectionById.get(connectionId) as unknown[]));
    let activation = activations.get(activationId);
    if (!activation) activations.set(activationId, activation = processFromRow(processById.get(activationId) as unknown[]));
    out.push({ connection, activation });
  }
  return out;
}
