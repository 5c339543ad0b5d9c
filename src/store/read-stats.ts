// What `lineage stats` shows: how much the store holds, over what time, and how the last runs went.
import { formatTicks, TABLE_NAMES, type TableName } from '../domain';
import { committedEnd } from './column-log';
import type { Store } from './open-store';
import { isAlive } from './process-alive';
import { countDevices, storedTimeRange } from './read-device-events';
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
  for (const table of TABLE_NAMES) events[table] = count(`SELECT count(*) FROM ${SQL_TABLE[table]}`);
  const range = storedTimeRange(db);
  const runs = prepared(db, `SELECT id, started_at AS startedAt, finished_at AS finishedAt, status, pid, command, summary
    FROM runs ORDER BY id DESC LIMIT ?`).all(lastRuns) as Array<Omit<RunInfo, 'summary'> & { pid: number | null; summary: string | null }>;
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    events,
    devices: countDevices(db),
    sources: count('SELECT count(*) FROM sources'),
    rejects: count('SELECT count(*) FROM rejects'),
    timeRange: range === null ? null : { from: formatTicks(range.from), to: formatTicks(range.to) },
    bytes: {
      database: (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number),
      columnLog: committedEnd(db),
    },
    // A run left 'running' by a process that is gone was killed; the next ingest records that, stats says it already.
    lastRuns: runs.map(({ pid, ...run }) => ({
      ...run,
      status: run.status === 'running' && pid !== null && !isAlive(pid) ? 'interrupted' : run.status,
      summary: run.summary === null ? null : JSON.parse(run.summary),
    })),
  };
}
