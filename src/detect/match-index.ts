// The matches of both modes over the whole store, computed once per store version and kept while the store does
// not change (the HTTP API serves pages of them). The version is the highest event row id of each table: ingest only
// ever appends, so any new event changes it. Lineage alerts are then brought up to date incrementally.
import { hash53, parseTime, type Ticks } from '../domain';
import type { Store } from '../store';
import type { Alert } from './alert';
import type { LineageOptions } from './detect-lineage';
import { IncrementalLineage } from './incremental-lineage';
import { replaySentinel } from './replay-sentinel';
import type { SentinelRow } from './sentinel-rule';

export interface SentinelMatch extends SentinelRow {
  id: string;
  mode: 'sentinel';
}

export type Match = Alert | SentinelMatch;

export interface MatchFilter {
  mode: 'lineage' | 'sentinel';
  deviceId?: string;
  from?: Ticks | null;
  to?: Ticks | null;
}

/** The time a match is listed by: the COM server's start. */
export function matchTime(match: Match): string {
  return match.mode === 'lineage' ? match.time : match.TimestampProcEventExact;
}

/** The device a match is on. */
export function matchDevice(match: Match): string {
  return match.mode === 'lineage' ? match.deviceId : match.DeviceId;
}

export class MatchIndex {
  private version = '';
  private lineage: Alert[] = [];
  private sentinel: SentinelMatch[] = [];
  private byId = new Map<string, Match>();
  private computedAt = 0;
  private readonly incremental: IncrementalLineage;

  /** `minAgeMs`: while the store keeps changing (an ingest running), recompute at most this often. */
  constructor(private readonly db: Store, options: LineageOptions = {}, private readonly minAgeMs = 2000) {
    this.incremental = new IncrementalLineage(db, options);
  }

  private refresh(): void {
    const version = JSON.stringify(this.db.prepare(`SELECT (SELECT max(id) FROM process_events) AS p, (SELECT max(id) FROM network_events) AS n`).get());
    if (version === this.version) return;
    if (this.version !== '' && Date.now() - this.computedAt < this.minAgeMs) return;
    this.computedAt = Date.now();
    const newestFirst = <T extends Match>(items: T[]): T[] => items.sort((a, b) => (matchTime(a) > matchTime(b) ? -1 : matchTime(a) < matchTime(b) ? 1 : a.id < b.id ? -1 : 1));
    this.incremental.refresh();
    this.lineage = newestFirst(this.incremental.list());
    this.sentinel = newestFirst(replaySentinel(this.db, null, null).map((row) => ({
      ...row, mode: 'sentinel' as const,
      id: `rule-${hash53(JSON.stringify({ ...row, set_ProcessCommandLine: undefined })).toString(16).padStart(14, '0')}`,
    })));
    this.byId = new Map<string, Match>([...this.lineage, ...this.sentinel].map((m) => [m.id, m]));
    this.version = version;
  }

  /** Matches of one mode passing the filter, newest first. */
  list(filter: MatchFilter): Match[] {
    this.refresh();
    const items: Match[] = filter.mode === 'lineage' ? this.lineage : this.sentinel;
    return items.filter((m) => (!filter.deviceId || matchDevice(m) === filter.deviceId) && inRange(matchTime(m), filter.from ?? null, filter.to ?? null));
  }

  get(id: string): Match | undefined {
    this.refresh();
    return this.byId.get(id);
  }

  /** Lineage alerts per device id. */
  alertCounts(): Map<string, number> {
    this.refresh();
    const counts = new Map<string, number>();
    for (const alert of this.lineage) counts.set(alert.deviceId, (counts.get(alert.deviceId) ?? 0) + 1);
    return counts;
  }
}

function inRange(time: string, from: Ticks | null, to: Ticks | null): boolean {
  if (from === null && to === null) return true;
  const ticks = parseTime(time)?.ticks ?? 0n;
  return (from === null || ticks >= from) && (to === null || ticks < to);
}
