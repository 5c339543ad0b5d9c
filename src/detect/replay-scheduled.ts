// Sentinel's scheduled runs replayed: back-to-back windows of `period` over the stored range, aligned to multiples
// of the period since the Unix epoch (whole hours for 1h), each row tagged with its window. A chain that straddles a
// window edge is lost here, as in Sentinel.
import { floorDiv, formatTicks, type Ticks } from '../domain';
import { storedTimeRange, type Store } from '../store';
import { replaySentinel } from './replay-sentinel';
import type { ScheduledSentinelRow } from './sentinel-rule';

/** Rows of every scheduled run over [from, to) (null: the stored range). */
export function replaySentinelScheduled(db: Store, period: Ticks, from: Ticks | null = null, to: Ticks | null = null): ScheduledSentinelRow[] {
  const range = storedTimeRange(db);
  if (!range) return [];
  const first = floorDiv(from ?? range.from, period) * period;
  const end = to ?? range.to + 1n;
  const rows: ScheduledSentinelRow[] = [];
  for (let start = first; start < end; start += period) {
    const windowStart = from !== null && start < from ? from : start;
    const windowEnd = start + period > end ? end : start + period;
    for (const row of replaySentinel(db, windowStart, windowEnd)) {
      rows.push({ ...row, windowStart: formatTicks(windowStart), windowEnd: formatTicks(windowEnd) });
    }
  }
  return rows;
}
