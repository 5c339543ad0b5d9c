// What changed since a watermark (the highest event row ids seen): ingest only appends, so new events are the rows
// above it, read by rowid range. Only the kinds of events that can change a DCOM chain are returned.
import type { Ticks } from '../domain';
import type { Store } from './open-store';

export interface Watermark {
  process: number;
  network: number;
}

export interface ChangedTime {
  deviceId: string;
  time: Ticks;
  kind: 'connection' | 'activation' | 'child' | 'boot';
}

/** The store's current watermark. */
export function currentWatermark(db: Store): Watermark {
  const row = db.prepare('SELECT (SELECT coalesce(max(id), 0) FROM process_events) AS process, (SELECT coalesce(max(id), 0) FROM network_events) AS network').get() as Watermark;
  return row;
}

/** Times of the chain-relevant events added after `since`, per device. */
export function readChangedTimes(db: Store, since: Watermark): ChangedTime[] {
  const out: ChangedTime[] = [];
  const push = (kind: ChangedTime['kind']) => (r: unknown[]) => out.push({ deviceId: r[0] as string, time: BigInt(r[1] as string), kind });
  (db.prepare(`SELECT d.device_id, CAST(e.ts AS TEXT) FROM network_events e JOIN devices d ON d.id = e.device
    WHERE e.id > ? AND e.local_port = 135 AND (e.init_cmdline LIKE '%rpcss%' OR e.init_cmdline = '')`).raw().all(since.network) as unknown[][]).forEach(push('connection'));
  (db.prepare(`SELECT d.device_id, CAST(e.ts AS TEXT) FROM process_events e JOIN devices d ON d.id = e.device
    WHERE e.id > ? AND e.init_file_name = 'svchost.exe' COLLATE NOCASE AND e.init_cmdline LIKE '%dcomlaunch%'`).raw().all(since.process) as unknown[][]).forEach(push('activation'));
  // A new child of a process started by an svchost: the chain of that process (started around init_created) may change.
  (db.prepare(`SELECT d.device_id, CAST(coalesce(e.init_created, e.ts) AS TEXT) FROM process_events e JOIN devices d ON d.id = e.device
    WHERE e.id > ? AND e.parent_file_name = 'svchost.exe' COLLATE NOCASE`).raw().all(since.process) as unknown[][]).forEach(push('child'));
  (db.prepare(`SELECT d.device_id, CAST(e.ts AS TEXT) FROM process_events e JOIN devices d ON d.id = e.device
    WHERE e.id > ? AND e.file_name = 'services.exe' COLLATE NOCASE AND e.action_type <> 'ProcessTerminated'`).raw().all(since.process) as unknown[][]).forEach(push('boot'));
  return out;
}
