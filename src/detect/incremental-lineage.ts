// Lineage detection kept up to date incrementally: after a full run, each refresh looks only at the events added
// since (rows above the watermark), turns them into (device, time range) scopes around the chains they can change,
// and re-runs detection in those scopes only, replacing the alerts there.
import { appendTo, TICKS_PER_SECOND, parseTime, type Ticks } from '../domain';
import { DCOM_DEFAULT_SETTINGS, durationTicks } from '../patterns';
import { countDevices, currentWatermark, readChangedSpans, type Store, type Watermark } from '../store';
import type { Alert } from './alert';
import type { DetectScope } from './candidate-graphs';
import { detectLineage, detectLineageScopes, lineageReach, type LineageOptions } from './detect-lineage';

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

  /** Brings the alerts up to date with the store. */
  refresh(): RefreshReport {
    const now = currentWatermark(this.db);
    if (this.watermark && now.process === this.watermark.process && now.network === this.watermark.network) return { full: false, scopes: 0 };
    if (!this.watermark) {
      this.alerts = new Map(detectLineage(this.db, { ...this.options, from: null, to: null }).map((a) => [a.id, a]));
      this.watermark = now;
      // Prepare now the statements every refresh runs, so a refresh pays for its events only.
      countDevices(this.db);
      readChangedSpans(this.db, now);
      return { full: true, scopes: 0 };
    }
    // A new boot changes the boot gate of activations up to the grace period after it.
    const grace = (durationTicks(this.options.settings?.bootGrace ?? DCOM_DEFAULT_SETTINGS.bootGrace) ?? 0n) + this.replaceMargin;
    const scopes = mergeScopes(readChangedSpans(this.db, this.watermark).map(({ deviceId, from, to, kind }) => ({
      deviceId, from: from - this.replaceMargin, to: to + (kind === 'boot' ? grace : this.replaceMargin),
    })));
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
