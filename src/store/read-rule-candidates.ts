// The narrow reads the DCOM rule needs, each served by a partial index: connections on local port 135 owned by a
// process whose command line mentions rpcss, processes started by an svchost.exe whose command line mentions
// dcomlaunch, services.exe starts (boots), and the processes a given PID started.
import type { StoredProcessEvent, Ticks } from '../domain';
import { BOOT, DCOMLAUNCH_START, initiatorArms, inTimeOrder, MAX_TICKS, MIN_TICKS, ON_DEVICE, PROCESS_SELECT, processFromRow, RPC135 } from './event-rows';
import type { Store } from './open-store';
import { prepared } from './prepared';

export interface BootRecord {
  deviceRow: number;
  deviceId: string;
  time: Ticks;
}

const bounds = (from: Ticks | null, to: Ticks | null): [Ticks, Ticks] => [from ?? MIN_TICKS, to ?? MAX_TICKS];

/** `AND` the device, when one is asked for. */
const onDevice = (deviceId: string | null): string => (deviceId === null ? '' : ON_DEVICE('e'));

/** Where and when a seed event happened: all that clustering seeds into graph slices needs. */
export interface SeedTime {
  deviceId: string;
  time: Ticks;
}

/**
 * Device and time of the network events with LocalPort == 135 whose owner's command line mentions rpcss, in
 * [from, to), in time order; of one device when `deviceId` is given. Read from the covering index alone.
 */
export function readPort135ConnectionTimes(db: Store, from: Ticks | null, to: Ticks | null, deviceId: string | null = null): SeedTime[] {
  return (prepared(db, `SELECT d.device_id, e.ts FROM network_events e INDEXED BY network_events_rpc135 JOIN devices d ON d.id = e.device
    WHERE ${RPC135('e')} AND e.ts >= ? AND e.ts < ? ${onDevice(deviceId)} ORDER BY e.ts, e.ident`).safeIntegers().raw()
    .all(...bounds(from, to), ...(deviceId === null ? [] : [deviceId])) as Array<[string, bigint]>).map(([id, time]) => ({ deviceId: id, time }));
}

/**
 * Device, time and creator's command line of the processes started by an svchost.exe (any case) whose command line
 * mentions dcomlaunch or is not in the data, in [from, to), in time order; of one device when `deviceId` is given.
 */
export function readSvchostSpawnTimes(db: Store, from: Ticks | null, to: Ticks | null, deviceId: string | null = null): Array<SeedTime & { initiatorCommandLine: string }> {
  return (prepared(db, `SELECT d.device_id, e.ts, e.init_cmdline FROM process_events e INDEXED BY process_events_dcomlaunch JOIN devices d ON d.id = e.device
    WHERE ${DCOMLAUNCH_START('e')}
      AND e.ts >= ? AND e.ts < ? ${onDevice(deviceId)} ORDER BY e.ts, e.ident`).safeIntegers().raw()
    .all(...bounds(from, to), ...(deviceId === null ? [] : [deviceId])) as Array<[string, bigint, string]>)
    .map(([id, time, initiatorCommandLine]) => ({ deviceId: id, time, initiatorCommandLine }));
}

/** services.exe process starts (boots) in [from, to), in time order. */
export function readBoots(db: Store, from: Ticks | null, to: Ticks | null): BootRecord[] {
  return (prepared(db, `SELECT e.device, d.device_id, e.ts FROM process_events e INDEXED BY process_events_boots JOIN devices d ON d.id = e.device
    WHERE ${BOOT('e')} AND e.ts >= ? AND e.ts < ? ORDER BY e.ts`).safeIntegers().raw()
    .all(...bounds(from, to)) as unknown[][]).map((r) => ({ deviceRow: Number(r[0]), deviceId: r[1] as string, time: r[2] as bigint }));
}

/**
 * Process events on a device whose initiating PID is `pid` (and, if given, creation time, or else `uniqueId`), in
 * [from, to), in time order; when a limit is given, `limit` of them after the first `offset`. Served by (device,
 * init_pid, init_created, ts, ident): each alternative of the parent condition comes in time order, so a limit stops
 * the walk.
 */
export function readSpawnedBy(
  db: Store, deviceId: string, pid: number, createdAt: Ticks | null, from: Ticks | null, to: Ticks | null, uniqueId = '', limit = -1,
  offset = 0,
): StoredProcessEvent[] {
  const arms = parentArms(createdAt, uniqueId);
  const skipping = offset > 0;
  const statement = prepared(db, spawnedBySql(arms.map((arm) => arm.sql), skipping)).raw();
  const params = [...arms.flatMap((arm) => [deviceId, pid, ...arm.params, ...bounds(from, to)]), ...(skipping ? [offset] : [])];
  if (limit < 0) return (statement.all(...params) as unknown[][]).map(processFromRow);
  // The limit by stopping the walk, not by a bound LIMIT: with one, this SQLite spent 31-45 µs a run instead of 4,
  // and a lineage view runs this once per process it shows.
  const out: StoredProcessEvent[] = [];
  if (limit === 0) return out;
  for (const row of statement.iterate(...params) as IterableIterator<unknown[]>) {
    out.push(processFromRow(row));
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The query of readSpawnedBy, given the alternatives of its parent condition; `skipping` adds `LIMIT -1 OFFSET ?`,
 * for a page after the first (a "+N more"), the one caller that passes children over. Two alternatives (a process
 * Sysmon keys by ProcessGuid: children named by creation time, or by the GUID) are merged in time order, each from
 * its own index range, rather than gathered and sorted: a page of a busy parent's children reads a page. Exported
 * for the plan test.
 */
export function spawnedBySql(armsSql: readonly string[], skipping: boolean): string {
  return inTimeOrder(armsSql, (condition, orderColumns) => `SELECT ${PROCESS_SELECT}${orderColumns}
    FROM process_events e INDEXED BY process_events_initiator JOIN devices d ON d.id = e.device
    WHERE d.device_id = ? AND e.init_pid = ? AND ${condition} AND e.ts >= ? AND e.ts < ?`, skipping ? ' LIMIT -1 OFFSET ?' : '');
}

/**
 * How many process events readSpawnedBy would give for the whole time range: one count per alternative of the parent
 * condition (they are disjoint), each over its own index range.
 */
export function countSpawnedBy(db: Store, deviceId: string, pid: number, createdAt: Ticks | null, uniqueId = ''): number {
  const arms = parentArms(createdAt, uniqueId);
  return prepared(db, `SELECT ${arms.map((arm) => `(SELECT count(*) FROM process_events e INDEXED BY process_events_initiator
    WHERE e.device = (SELECT id FROM devices WHERE device_id = ?) AND e.init_pid = ? AND ${arm.sql})`).join(' + ')}`).pluck()
    .get(...arms.flatMap((arm) => [deviceId, pid, ...arm.params])) as number;
}

/** The parent conditions of readSpawnedBy and countSpawnedBy: any creation time when it is not known. */
function parentArms(createdAt: Ticks | null, uniqueId: string): Array<{ sql: string; params: unknown[] }> {
  return createdAt === null ? [{ sql: '1', params: [] }] : initiatorArms('e', createdAt, uniqueId);
}
