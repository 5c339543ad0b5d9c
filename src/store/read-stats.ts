// What `lineage stats` shows: how much the store holds, over what time, and how the last runs went.
import { formatTicks, TABLE_NAMES, type TableName } from '../domain';
import { committedEnd } from './column-log';
import type { Store } from './open-store';
import { prepared } from './prepared';

export interface RunInfo {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  command: string;
  summary: unknown;
}

export interface StoreStats {
  schemaVersion: number;
  events: Record<TableName, number>;
  devices: number;
  sources: number;
  rejects: number;
  timeRange: { from: string; to: string } | null;
  /** Disk use: the database file (its pages) and the column log (the bytes its rows own). */
  bytes: { database: number; columnLog: number };
  lastRuns: RunInfo[];
}

const SQL_TABLE: Record<TableName, string> = {
  DeviceProcessEvents: 'process_events',
  DeviceNetworkEvents: 'network_events',
};

/** Counts and ranges of everything in the store; `lastRuns` newest first. */
export function readStats(db: Store, lastRuns = 5): StoreStats {
  const count = (sql: string): number => (prepared(db, sql).pluck().get() as number | null) ?? 0;
  const events = {} as Record<TableName, number>;
  let from: bigint | null = null;
  let to: bigint | null = null;
  for (const table of TABLE_NAMES) {
    const sqlTable = SQL_TABLE[table];
    events[table] = count(`SELECT count(*) FROM ${sqlTable}`);
    // Per device, one seek to each end of its (device, ts) index: min(ts) over the table would read every row.
    const range = prepared(db, `SELECT min(lo) AS lo, max(hi) AS hi FROM (SELECT
      (SELECT min(ts) FROM ${sqlTable} WHERE device = d.id) AS lo, (SELECT max(ts) FROM ${sqlTable} WHERE device = d.id) AS hi
      FROM devices d)`).safeIntegers().get() as { lo: bigint | null; hi: bigint | null };
    if (range.lo !== null && (from === null || range.lo < from)) from = range.lo;
    if (range.hi !== null && (to === null || range.hi > to)) to = range.hi;
  }
  const runs = prepared(db, `SELECT id, started_at AS startedAt, finished_at AS finishedAt, status, command, summary
    FROM runs ORDER BY id DESC LIMIT ?`).all(lastRuns) as Array<Omit<RunInfo, 'summary'> & { summary: string | null }>;
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    events,
    devices: count('SELECT count(*) FROM devices'),
    sources: count('SELECT count(*) FROM sources'),
    rejects: count('SELECT count(*) FROM rejects'),
    timeRange: from !== null && to !== null ? { from: formatTicks(from), to: formatTicks(to) } : null,
    bytes: {
      database: (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number),
      columnLog: committedEnd(db),
    },
    lastRuns: runs.map((run) => ({ ...run, summary: run.summary === null ? null : JSON.parse(run.summary) })),
  };
}
