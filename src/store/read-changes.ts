// What changed since a watermark (the highest event row ids seen): ingest only appends, so new events are the rows
// above it, read by rowid range. Only the kinds of events that can change a DCOM chain are looked at.
import type { Ticks } from '../domain';
import type { Store } from './open-store';
import { BOOT, RPC135 } from './event-rows';
import { prepared } from './prepared';

export interface Watermark {
  process: number;
  network: number;
}

/** The earliest and latest times of the chain-relevant events of one kind appended to the store, over every device. */
export interface ChangedRange {
  from: Ticks;
  to: Ticks;
}

/** A boot appended to one device. */
export interface AppendedBoot {
  deviceId: string;
  time: Ticks;
}

/** What an append can change, in the large: each kind's time range, and the boots one by one. */
export interface Changes {
  /** Port-135 connections to the RPCSS host. */
  connections: ChangedRange | null;
  /** Children of processes started by an svchost.exe, at their creator's creation time (else their own). */
  children: ChangedRange | null;
  boots: AppendedBoot[];
}

/** The store's current watermark. */
export function currentWatermark(db: Store): Watermark {
  // Asked on every /matches request: a prepared statement, not one compiled per call.
  const row = prepared(db, 'SELECT (SELECT coalesce(max(id), 0) FROM process_events) AS process, (SELECT coalesce(max(id), 0) FROM network_events) AS network').get() as Watermark;
  return row;
}

const NEW_CONNECTION = (e: string): string => `${e}.id > ? AND ${RPC135(e)}`;
const NEW_CHILD = (e: string): string => `${e}.id > ? AND ${e}.parent_file_name = 'svchost.exe' COLLATE NOCASE`;
const CHILD_TIME = (e: string): string => `coalesce(${e}.init_created, ${e}.ts)`;

const range = (row: [bigint | null, bigint | null] | undefined): ChangedRange | null =>
  row && row[0] !== null && row[1] !== null ? { from: row[0], to: row[1] } : null;

/**
 * The connections', children's and boots' appended after `since`. Partial indexes keyed by row id serve each query,
 * and only an aggregate leaves SQLite, so the cost follows the appended rows, not the store. Which devices changed
 * is asked later, only near the starts that can be a chain's COM server (`hasNewConnection`, `hasNewChild`).
 */
export function readChanges(db: Store, since: Watermark): Changes {
  const connections = prepared(db, `SELECT min(e.ts), max(e.ts) FROM network_events e INDEXED BY network_events_new_rpc135
    WHERE ${NEW_CONNECTION('e')}`).safeIntegers().raw().get(since.network) as [bigint | null, bigint | null] | undefined;
  const children = prepared(db, `SELECT min(${CHILD_TIME('e')}), max(${CHILD_TIME('e')}) FROM process_events e INDEXED BY process_events_new_child
    WHERE ${NEW_CHILD('e')}`).safeIntegers().raw().get(since.process) as [bigint | null, bigint | null] | undefined;
  const boots = prepared(db, `SELECT d.device_id, e.ts FROM process_events e INDEXED BY process_events_new_boot JOIN devices d ON d.id = e.device
    WHERE e.id > ? AND ${BOOT('e')}`).safeIntegers().raw().all(since.process) as Array<[string, bigint]>;
  return { connections: range(connections), children: range(children), boots: boots.map(([deviceId, time]) => ({ deviceId, time })) };
}

/** Whether a port-135 connection to the RPCSS host in [from, to) was appended to the device (its row) after `since`. */
export function hasNewConnection(db: Store, since: Watermark, deviceRow: number, from: Ticks, to: Ticks): boolean {
  return prepared(db, `SELECT 1 FROM network_events e INDEXED BY network_events_rpc135
    WHERE e.device = ? AND e.ts >= ? AND e.ts < ? AND ${NEW_CONNECTION('e')} LIMIT 1`).raw().get(deviceRow, from, to, since.network) !== undefined;
}

/**
 * Whether a child of a process started by an svchost.exe, its creator created in [from, to) (or, unknown, itself
 * started then), was appended to the device (its row) after `since`.
 */
export function hasNewChild(db: Store, since: Watermark, deviceRow: number, from: Ticks, to: Ticks): boolean {
  return prepared(db, `SELECT 1 FROM process_events e INDEXED BY process_events_new_child
    WHERE ${NEW_CHILD('e')} AND e.device = ? AND ${CHILD_TIME('e')} >= ? AND ${CHILD_TIME('e')} < ? LIMIT 1`).raw().get(since.process, deviceRow, from, to) !== undefined;
}
