// Local wall-clock times of a named zone (IANA, `Europe/London`) to UTC: for exports written in the exporter's local
// time (a Sentinel CSV's `TimeGenerated [Local Time]`), which name no zone themselves. The zone's offset comes from
// Intl (the ICU time-zone data Node carries), asked once per quarter hour of local time that a file holds, never
// per event.
import { InvalidInput } from './errors';
import { floorDiv, TICKS_PER_MS, type Ticks } from './ticks';

const TICKS_PER_MINUTE = 600_000_000n;
/** Offsets change on quarter hours at the finest (zones have moved by 15, 30 and 60 minutes). */
const BUCKET_TICKS = 15n * TICKS_PER_MINUTE;
/** Quarter hours remembered: about three years of them, then the cache starts again. */
const MAX_CACHED = 100_000;
const DAY_MS = 86_400_000;

/** What a time zone must be, as every refusal of one says it. */
export const TIME_ZONE_EXPECTED = 'an IANA name such as Europe/London';

/** Whether Node knows `zone` as a time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Refuses a name that is no time zone, the message starting with `operation`. */
export function checkTimeZone(zone: string, operation: string): void {
  if (!isTimeZone(zone)) throw new InvalidInput(`${operation}: not a time zone: ${JSON.stringify(zone)} (${TIME_ZONE_EXPECTED})`, { parameter: 'timeZone' });
}

/**
 * A function from wall-clock ticks in `zone` (read as if they were UTC) to UTC ticks. A local time the clock shows
 * twice (the hour summer time ends) is read as its first occurrence, and one the clock skips with the offset from
 * before the change, as Temporal's `compatible` disambiguation does.
 */
export function zoneToUtc(zone: string): (local: Ticks) => Ticks {
  checkTimeZone(zone, 'time zone');
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  /** The zone's offset from UTC at the instant `utcMs` (a whole minute), in minutes. */
  const offsetAt = (utcMs: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(utcMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return Math.round((wall - utcMs) / 60_000);
  };
  const offsets = new Map<bigint, number>();
  return (local) => {
    const bucket = floorDiv(local, BUCKET_TICKS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const localMs = Number(floorDiv(bucket * BUCKET_TICKS, TICKS_PER_MS));
      // The offsets a day either side (no zone changes twice in two days), and which of them this wall time can have.
      const before = offsetAt(localMs - DAY_MS);
      const after = offsetAt(localMs + DAY_MS);
      const fits = (candidate: number): boolean => offsetAt(localMs - candidate * 60_000) === candidate;
      if (before === after) offset = before;
      else if (fits(before)) offset = before; // with both fitting, the larger offset: the earlier instant
      else offset = fits(after) ? after : before;
      if (offsets.size >= MAX_CACHED) offsets.clear();
      offsets.set(bucket, offset);
    }
    return local - BigInt(offset) * TICKS_PER_MINUTE;
  };
}
