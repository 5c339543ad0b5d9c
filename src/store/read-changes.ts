// What changed since a watermark (the highest event row ids seen): ingest only appends, so new events are the rows
// above it, read by rowid range. Only the kinds of events that can change a DCOM chain are returned.
import type { Ticks } from '../domain';
import type { Store } from './open-store';
import { BOOT, DCOMLAUNCH_START, RPC135 } from './event-rows';
import { prepared } from './prepared';

export interface Watermark {
  process: number;
  network: number;
}

/** The earliest and latest times of one kind of chain-relevant event appended to one device. */
export interface ChangedSpan {
  deviceId: string;
  kind: 'connection' | 'activation' | 'child' | 'boot';
  from: Ticks;
  to: Ticks;
}

/** The store's current watermark. */
export function currentWatermark(db: Store): Watermark {
  // Asked on every /matches request: a prepared statement, not one compiled per call.
  const row = prepared(db, 'SELECT (SELECT coalesce(max(id), 0) FROM process_events) AS process, (SELECT coalesce(max(id), 0) FROM network_events) AS network').get() as Watermark;
  return row;
}

/**
 * Per device and kind, the span of the chain-relevant events added after `since` (a refresh searches each changed
 * device from its earliest to its latest change anyway). Partial indexes keyed by row id serve each query, so the
 * cost follows the appended rows, not the store.
 */
export function readChangedSpans(db: Store, since: Watermark): ChangedSpan[] {
  const out: ChangedSpan[] = [];
  const read = (kind: ChangedSpan['kind'], sql: string, after: number): void => {
    for (const [device, from, to] of prepared(db, `SELECT d.device_id, min(t), max(t) FROM (${sql}) JOIN devices d ON d.id = device GROUP BY device`)
      .safeIntegers().raw().all(after) as Array<[string, bigint, bigint]>) out.push({ deviceId: device, kind, from, to });
  };
  read('connection', `SELECT e.device, e.ts AS t FROM network_events e INDEXED BY network_events_new_rpc135
    WHERE e.id > ? AND ${RPC135('e')}`, since.network);
  read('activation', `SELECT e.device, e.ts AS t FROM process_events e INDEXED BY process_events_new_dcomlaunch
    WHERE e.id > ? AND ${DCOMLAUNCH_START('e')}`, since.process);
  // A new child of a process started by an svchost: the chain of that process (started around init_created) may change.
  read('child', `SELECT e.device, coalesce(e.init_created, e.ts) AS t FROM process_events e INDEXED BY process_events_new_child
    WHERE e.id > ? AND e.parent_file_name = 'svchost.exe' COLLATE NOCASE`, since.process);
  read('boot', `SELECT e.device, e.ts AS t FROM process_events e INDEXED BY process_events_new_boot
    WHERE e.id > ? AND ${BOOT('e')}`, since.process);
  return out;
}
