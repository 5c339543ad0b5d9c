// Process lookups for the lineage queries: a process's own creation event, process search, the raw columns of an
// event, and the events a process initiated.
import type { StoredNetworkEvent, StoredProcessEvent, Ticks } from '../domain';
import { readColumnBytes } from './column-log';
import { HAS_RICHER_TWIN, initiatorArms, inTimeOrder, MAX_TICKS, MIN_TICKS, NETWORK_SELECT, networkFromRow, NOT_AN_END, PROCESS_SELECT, processFromRow, sameStart } from './event-rows';
import type { Store } from './open-store';
import { prepared } from './prepared';

/** The creation event of a process (device, PID, creation time), served by the (device, pid, created) index. */
export function readProcessCreation(db: Store, deviceId: string, pid: number, createdAt: Ticks | null): StoredProcessEvent | null {
  // INDEXED BY: for ORDER BY ts LIMIT 1 the planner would rather walk the device's rows in time order.
  const row = prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events e INDEXED BY process_events_process JOIN devices d ON d.id = e.device
    WHERE d.device_id = ? AND e.pid = ? AND ${createdAt === null ? 'e.created IS NULL' : 'e.created = ?'} AND ${NOT_AN_END('e')}
    ORDER BY e.ts, e.ident LIMIT 1`).raw().get(...(createdAt === null ? [deviceId, pid] : [deviceId, pid, createdAt])) as unknown[] | undefined;
  return row ? processFromRow(row) : null;
}

/**
 * The creation event of the process its source keys by `uniqueId` (Sysmon's ProcessGuid, MDE's ProcessUniqueId),
 * served by the partial (device, unique_id) index.
 */
export function readProcessCreationByUniqueId(db: Store, deviceId: string, uniqueId: string): StoredProcessEvent | null {
  const row = prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events e INDEXED BY process_events_unique JOIN devices d ON d.id = e.device
    WHERE d.device_id = ? AND e.unique_id = ? AND e.unique_id <> '' AND ${NOT_AN_END('e')}
    ORDER BY e.ts, e.ident LIMIT 1`).raw().get(deviceId, uniqueId) as unknown[] | undefined;
  return row ? processFromRow(row) : null;
}

/**
 * The start of the process that had `pid` on the device at `time`: the latest creation event of that PID at or
 * before it, for sources that name a creator by PID alone (Security 4688, WFP). Served by (device, pid, created).
 */
export function readLatestStart(db: Store, deviceRow: number, pid: number, time: Ticks): StoredProcessEvent | null {
  const row = prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events e INDEXED BY process_events_process JOIN devices d ON d.id = e.device
    WHERE e.device = ? AND e.pid = ? AND e.created <= ? AND ${NOT_AN_END('e')}
    ORDER BY e.created DESC, e.ts DESC LIMIT 1`).raw().get(deviceRow, pid, time) as unknown[] | undefined;
  return row ? processFromRow(row) : null;
}

export interface ProcessSearch {
  deviceId: string;
  /** Case-insensitive substring of the file name or command line. */
  q?: string;
  pid?: number;
  from?: Ticks | null;
  to?: Ticks | null;
  limit: number;
  /** Continue after this (time, id), newest first. */
  before?: { time: Ticks; id: number } | null;
}

/**
 * Process creation events on a device, newest first; a process that Sysmon and Security 4688 both recorded appears
 * once, as Sysmon's record (see HAS_RICHER_TWIN).
 */
export function searchProcesses(db: Store, search: ProcessSearch): StoredProcessEvent[] {
  const { sql, params } = processSearchSql(search);
  return (prepared(db, sql).raw().all(...params) as unknown[][]).map(processFromRow);
}

/**
 * The query of searchProcesses and its parameters. A search by PID reads the rows with that PID through the
 * (device, pid, created) index, whatever the device's history: walking the device in time order for them cost
 * 48 ms on a device of 110k processes. Exported for the plan test.
 */
export function processSearchSql(search: ProcessSearch): { sql: string; params: unknown[] } {
  const where = ['d.device_id = ?', 'e.ts >= ?', 'e.ts < ?', NOT_AN_END('e')];
  const params: unknown[] = [search.deviceId, search.from ?? MIN_TICKS, search.to ?? MAX_TICKS];
  if (search.pid !== undefined) {
    // The rows with the PID, or a Sysmon record that lost its PID, whose Security 4688 twin has it (the list shows that
    // one in its place). Both branches seek (device, pid, ...): a PID-less row sits under NULL in that index. The
    // device is bound again, not correlated with `e`, so the ids are gathered once.
    const [, byCreator] = sameStart('q', 'p', true);
    const device = '(SELECT id FROM devices WHERE device_id = ?)';
    where.push(`e.id IN (SELECT p.id FROM process_events p INDEXED BY process_events_process WHERE p.device = ${device} AND p.pid = ?
      UNION ALL SELECT p.id FROM process_events p INDEXED BY process_events_process WHERE p.device = ${device} AND p.pid IS NULL
        AND p.unique_id <> '' AND p.created IS NOT NULL AND EXISTS (SELECT 1 FROM process_events q WHERE ${byCreator} AND q.pid = ?))`);
    params.push(search.deviceId, search.pid, search.deviceId, search.pid);
  }
  if (search.q) {
    where.push("(instr(lower(e.file_name), lower(?)) > 0 OR instr(lower(e.cmdline), lower(?)) > 0)");
    params.push(search.q, search.q);
  }
  if (search.before) {
    where.push('(e.ts < ? OR (e.ts = ? AND e.id < ?))');
    params.push(search.before.time, search.before.time, search.before.id);
  }
  // Last: the twin lookup is an index probe, worth making only for rows that pass the rest.
  where.push(`NOT (${HAS_RICHER_TWIN('e')})`);
  params.push(search.limit);
  // NOT INDEXED for a PID search: its rows are read by id from the list gathered above. Left to itself, the planner
  // walked the device's time index and used the list as a filter.
  return {
    sql: `SELECT ${PROCESS_SELECT} FROM process_events e ${search.pid !== undefined ? 'NOT INDEXED ' : ''}JOIN devices d ON d.id = e.device
    WHERE ${where.join(' AND ')} ORDER BY e.ts DESC, e.id DESC LIMIT ?`,
    params,
  };
}

/**
 * The records of `process`'s start by the other kind of source (see sameStart): for a Sysmon-keyed process its
 * Security 4688, and the other way round.
 */
export function readSameStart(db: Store, process: StoredProcessEvent): StoredProcessEvent[] {
  if (process.createdAt === null) return [];
  const found = new Map<number, StoredProcessEvent>();
  for (const condition of sameStart('e', 'a', process.uniqueId !== '')) {
    const rows = prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events a JOIN process_events e ON ${condition}
      JOIN devices d ON d.id = e.device WHERE a.id = ?`).raw().all(process.id) as unknown[][];
    for (const row of rows) found.set(row[1] as number, processFromRow(row));
  }
  return [...found.values()].sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : x.id - y.id));
}

/** The stored columns (JSON text) of one event. */
export function readEventColumns(db: Store, table: 'DeviceProcessEvents' | 'DeviceNetworkEvents', id: number): string | null {
  const sql = `SELECT columns_at, columns_length FROM ${table === 'DeviceProcessEvents' ? 'process_events' : 'network_events'} WHERE id = ?`;
  const place = prepared(db, sql).raw().get(id) as [number | null, number | null] | undefined;
  if (!place || place[0] === null || place[1] === null) return null;
  return readColumnBytes(db, place[0], place[1]).toString('utf8');
}

/**
 * Connections a process owned, from its creation on (at most `limit`, and a flag when there were more). Sources that
 * key processes by a unique id (Sysmon 3) name the owner by it, without its creation time: `uniqueId` matches those.
 */
export function readConnectionsOf(db: Store, deviceId: string, pid: number, createdAt: Ticks | null, limit: number,
  uniqueId = ''): { events: StoredNetworkEvent[]; truncated: boolean } {
  const arms = createdAt === null ? [{ sql: 'e.init_created IS NULL', params: [] }] : initiatorArms('e', createdAt, uniqueId);
  const params = arms.flatMap((arm) => [deviceId, createdAt ?? MIN_TICKS, pid, ...arm.params]);
  const rows = (prepared(db, connectionsOfSql(arms.map((arm) => arm.sql))).raw().all(...params, limit + 1) as unknown[][]).map(networkFromRow);
  return { events: rows.slice(0, limit), truncated: rows.length > limit };
}

/**
 * The query of readConnectionsOf, given the alternatives of its owner condition: served by the (device, init_pid,
 * init_created, ts, ident) index, which gives each alternative's rows in the order asked for, so the limit stops the
 * walk; two (an owner Sysmon keys by ProcessGuid) are merged in that order, not gathered and sorted. INDEXED BY: the
 * planner would rather walk the device's connections in time order from the owner's start. Exported for the plan
 * test.
 */
export function connectionsOfSql(armsSql: readonly string[]): string {
  return inTimeOrder(armsSql, (condition, orderColumns) => `SELECT ${NETWORK_SELECT}${orderColumns}
    FROM network_events e INDEXED BY network_events_initiator JOIN devices d ON d.id = e.device
    WHERE d.device_id = ? AND e.ts >= ? AND e.init_pid = ? AND ${condition}`, ' LIMIT ?');
}
