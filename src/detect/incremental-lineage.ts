// Lineage detection kept up to date incrementally: after a full run, each refresh looks only at the events added
// since (rows above the watermark), finds the starts the allow-list lets through (every alert's COM server is one)
// that those events can change, and re-runs detection in (device, time range) scopes around them only, replacing the
// alerts there.
import { appendTo, TICKS_PER_SECOND, parseTime, type Ticks } from '../domain';
import { countDevices, currentWatermark, hasNewChild, hasNewConnection, readChanges, readSurvivingStarts, type ChangedRange, type Store, type Watermark } from '../store';
import type { Alert } from './alert';
import type { DetectScope } from './candidate-graphs';
import { detectLineage, detectLineageScopes, lineageReach, preparedDetection, type LineageOptions } from './detect-lineage';

/** Chains span at most the pattern's reach (10 s by default) from connection to activation; margins add room. */
const REPLACE_ROOM = 30n * TICKS_PER_SECOND;
const SEARCH_ROOM = 50n * TICKS_PER_SECOND;
/** What one search costs beyond the events it reads, in device-time (its queries and set-up). */
const PER_SEARCH = 600n * TICKS_PER_SECOND;

interface Scope {
  deviceId: string;
  from: Ticks;
  to: Ticks;
}

function mergeScopes(scopes: Scope[]): Scope[] {
  scopes.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: Scope[] = [];
  for (const scope of scopes) {
    const last = merged[merged.length - 1];
    if (last && last.deviceId === scope.deviceId && scope.from <= last.to) last.to = scope.to > last.to ? scope.to : last.to;
    else merged.push({ ...scope });
  }
  return merged;
}

export interface RefreshReport {
  full: boolean;
  scopes: number;
}

export class IncrementalLineage {
  private alerts = new Map<string, Alert>();
  private watermark: Watermark | null = null;

  private readonly replaceMargin: Ticks;
  private readonly searchMargin: Ticks;

  constructor(private readonly db: Store, private readonly options: LineageOptions = {}) {
    const reach = lineageReach(options);
    this.replaceMargin = reach + REPLACE_ROOM;
    this.searchMargin = reach + SEARCH_ROOM;
  }

  /** An independent copy in the same state: refreshing one leaves the other as it was (benchmarks, what-ifs). */
  clone(): IncrementalLineage {
    const copy = new IncrementalLineage(this.db, this.options);
    copy.alerts = new Map(this.alerts);
    copy.watermark = this.watermark;
    return copy;
  }

  /** Every current alert, oldest first. */
  list(): Alert[] {
    return [...this.alerts.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1));
  }

  /**
   * Where to search again: each changed device over the span of its scopes, or (when many devices changed in the
   * same stretch of time, as a live feed appends) every device over the union of those spans, whichever reads less:
   * cost in device-time, each search adding PER_SEARCH for its queries. Results outside the changed scopes are
   * ignored either way, so the choice changes the cost, never the alerts.
   */
  private plan(devices: ReadonlyArray<[string, Scope[]]>): DetectScope[] {
    const perDevice = devices.map(([deviceId, deviceScopes]) => {
      const from = (deviceScopes[0] as Scope).from - this.searchMargin;
      const to = deviceScopes.reduce((max, scope) => (scope.to > max ? scope.to : max), from) + this.searchMargin;
      return { deviceId, from, to };
    });
    const windows = mergeScopes(perDevice.map((search) => ({ ...search, deviceId: '' })));
    const cost = (searches: ReadonlyArray<{ from: Ticks; to: Ticks }>, width: bigint): bigint =>
      searches.reduce((sum, search) => sum + (search.to - search.from) * width + PER_SEARCH, 0n);
    const everyDevice = BigInt(countDevices(this.db));
    return cost(windows, everyDevice) < cost(perDevice, 1n)
      ? windows.map((window) => ({ deviceId: null, from: window.from, to: window.to }))
      : perDevice;
  }

  /**
   * Where alerts can have changed since `since`: around each start the allow-list lets through (every alert's COM
   * server is one) that is new, has a new connection or a new child near it (within the replace margin), or a new
   * boot before it (the boot an alert reports is the last one before its COM server, however long). Appended events
   * are mostly around benign COM servers (a fleet's WmiPrvSE and RuntimeBroker): only their time range leaves SQL,
   * and only the few surviving starts inside it are asked about: one seek into the port-135 connections each, and a
   * pass over the appended children's index entries.
   */
  private changedScopes(since: Watermark): Scope[] {
    const changes = readChanges(this.db, since);
    const room = this.replaceMargin;
    const bootsByDevice = new Map<string, Ticks[]>();
    for (const boot of changes.boots) appendTo(bootsByDevice, boot.deviceId, boot.time);
    // A change at c reaches the times t with c - room <= t < c + room: c in (t - room, t + room], here [from, to).
    const reaches = (range: ChangedRange | null, from: Ticks, to: Ticks): boolean => range !== null && range.from < to && range.to >= from;
    const scopes: Scope[] = [];
    for (const start of readSurvivingStarts(this.db, preparedDetection(this.options))) {
      // The start is known by its Timestamp and, in a graph and an alert, by its creation time: both count.
      const created = start.createdAt ?? start.time;
      const [low, high] = created < start.time ? [created, start.time] : [start.time, created];
      const from = low - room + 1n;
      const to = high + room + 1n;
      const changed = start.id > since.process
        || (reaches(changes.connections, from, to) && hasNewConnection(this.db, since, start.deviceRow, from, to))
        || (reaches(changes.children, from, to) && hasNewChild(this.db, since, start.deviceRow, from, to))
        // A boot at b changes the boot time of every later start on its device (an alert carries its last boot),
        // and the boot gate of those in its grace period.
        || (bootsByDevice.get(start.deviceId) ?? []).some((boot) => boot - room <= high);
      if (changed) scopes.push({ deviceId: start.deviceId, from: low - room, to: high + room + 1n });
    }
    return scopes;
  }

  /** Brings the alerts up to date with the store. */
  refresh(): RefreshReport {
    const now = currentWatermark(this.db);
    if (this.watermark && now.process === this.watermark.process && now.network === this.watermark.network) return { full: false, scopes: 0 };
    if (!this.watermark) {
      this.alerts = new Map(detectLineage(this.db, { ...this.options, from: null, to: null }).map((a) => [a.id, a]));
      this.watermark = now;
      // Prepare now the statements every refresh runs, so a refresh pays for its events only.
      countDevices(this.db);
      readChanges(this.db, now);
      readSurvivingStarts(this.db, preparedDetection(this.options));
      return { full: true, scopes: 0 };
    }
    const since = this.watermark;
    const scopes = mergeScopes(this.changedScopes(since));
    if (scopes.length === 0) {
      this.watermark = now;
      return { full: false, scopes: 0 };
    }
    // One detection pass over every changed device, each over the span of its scopes; alerts are replaced only
    // inside the scopes.
    const byDevice = new Map<string, Scope[]>();
    for (const scope of scopes) appendTo(byDevice, scope.deviceId, scope);
    const devices = [...byDevice];
    const searches = this.plan(devices);
    const inScopeOf = (deviceId: string, deviceScopes: readonly Scope[]) => (alert: Alert): boolean => {
      if (alert.deviceId !== deviceId) return false;
      const t = parseTime(alert.time)?.ticks ?? 0n;
      return deviceScopes.some((scope) => t >= scope.from && t < scope.to);
    };
    const changed = new Map(devices.map(([deviceId, deviceScopes]) => [deviceId, inScopeOf(deviceId, deviceScopes)]));
    for (const [id, alert] of this.alerts) if (changed.get(alert.deviceId)?.(alert)) this.alerts.delete(id);
    for (const alerts of detectLineageScopes(this.db, searches, this.options)) {
      for (const alert of alerts) if (changed.get(alert.deviceId)?.(alert)) this.alerts.set(alert.id, alert);
    }
    this.watermark = now;
    return { full: false, scopes: scopes.length };
  }
}
