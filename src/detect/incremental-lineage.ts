// Lineage detection kept up to date incrementally: after a full run, each refresh looks only at the events added
// since (rows above the watermark), turns them into (device, time range) scopes around the chains they can change,
// and re-runs detection in those scopes only, replacing the alerts there.
import { TICKS_PER_SECOND, parseTime, type Ticks } from '../domain';
import { DCOM_DEFAULT_SETTINGS, durationTicks } from '../patterns';
import { currentWatermark, readChangedTimes, type Store, type Watermark } from '../store';
import type { Alert } from './alert';
import { detectLineage, lineageReach, type LineageOptions } from './detect-lineage';

/** Chains span at most the pattern's reach (10 s by default) from connection to activation; margins add room. */
const REPLACE_ROOM = 30n * TICKS_PER_SECOND;
const SEARCH_ROOM = 50n * TICKS_PER_SECOND;

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

  /** Every current alert, oldest first. */
  list(): Alert[] {
    return [...this.alerts.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1));
  }

  /** Brings the alerts up to date with the store. */
  refresh(): RefreshReport {
    const now = currentWatermark(this.db);
    if (this.watermark && now.process === this.watermark.process && now.network === this.watermark.network) return { full: false, scopes: 0 };
    if (!this.watermark) {
      this.alerts = new Map(detectLineage(this.db, { ...this.options, from: null, to: null }).map((a) => [a.id, a]));
      this.watermark = now;
      return { full: true, scopes: 0 };
    }
    // A new boot changes the boot gate of activations up to the grace period after it.
    const grace = (durationTicks(this.options.settings?.bootGrace ?? DCOM_DEFAULT_SETTINGS.bootGrace) ?? 0n) + this.replaceMargin;
    const scopes = mergeScopes(readChangedTimes(this.db, this.watermark).map(({ deviceId, time, kind }) => ({
      deviceId, from: time - this.replaceMargin, to: time + (kind === 'boot' ? grace : this.replaceMargin),
    })));
    // One detection run per changed device over the span of its scopes; alerts are replaced only inside the scopes.
    const byDevice = new Map<string, Scope[]>();
    for (const scope of scopes) (byDevice.get(scope.deviceId) ?? byDevice.set(scope.deviceId, []).get(scope.deviceId)!).push(scope);
    for (const [deviceId, deviceScopes] of byDevice) {
      const inScope = (alert: Alert): boolean => {
        if (alert.deviceId !== deviceId) return false;
        const t = parseTime(alert.time)?.ticks ?? 0n;
        return deviceScopes.some((scope) => t >= scope.from && t < scope.to);
      };
      for (const [id, alert] of this.alerts) if (inScope(alert)) this.alerts.delete(id);
      const from = (deviceScopes[0] as Scope).from - this.searchMargin;
      const to = deviceScopes.reduce((max, scope) => (scope.to > max ? scope.to : max), from) + this.searchMargin;
      for (const alert of detectLineage(this.db, { ...this.options, deviceId, from, to })) if (inScope(alert)) this.alerts.set(alert.id, alert);
    }
    this.watermark = now;
    return { full: false, scopes: scopes.length };
  }
}
