// Parses event times exactly into ticks: ISO 8601 with 0 to 7 fractional digits (more are cut to 100 ns),
// with or without a zone (no zone means UTC), and the locale forms of portal CSV exports: US (`2/25/2025, 9:19:25.391
// AM`, month first) and the day-first dotted form of most European locales (`25.02.2025 09:19:25,391`), both flagged
// lossy because the export rounded them to milliseconds.
import { daysFromCivil, daysInMonth, TICKS_PER_SECOND, type Ticks } from './ticks';

export interface ParsedTime {
  ticks: Ticks;
  /** The text carried less precision than the source had (locale CSV form, or more than 7 digits cut). */
  lossy: boolean;
}

const LOCALE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm])?$/;
/** Day first, dotted (de, fr-CH, ru, pl, fi, cs, tr ...); the fraction after a comma or a point. */
const DOTTED_LOCALE_TIME = /^(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?$/;
const FRACTION_SCALE = [1, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

function toTicks(year: number, month: number, day: number, hour: number, minute: number, second: number,
  fraction7: number, offsetMinutes: number): Ticks | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return BigInt(seconds) * TICKS_PER_SECOND + BigInt(fraction7);
}

/** Parses an ISO 8601 time; returns null when the text is not one. */
function parseIso(text: string): ParsedTime | null {
  const n = text.length;
  if (n < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  const sep = text.charCodeAt(10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return null; // 'T', ' ', 't'
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  let i = 19;
  let fraction7 = 0;
  let lossy = false;
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    const start = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    const count = i - start;
    if (count === 0) return null;
    const kept = Math.min(count, 7);
    fraction7 = digits(text, start, kept) * (FRACTION_SCALE[kept] ?? 1);
    if (count > 7) lossy = true;
  }
  let offsetMinutes = 0;
  if (i < n) {
    const c = text.charCodeAt(i);
    if ((c === 90 || c === 122) && i === n - 1) i++; // 'Z' / 'z'
    else if (c === 43 || c === 45) {
      const rest = n - i - 1;
      const oh = digits(text, i + 1, 2);
      let om = 0;
      if (rest === 5 && text.charCodeAt(i + 3) === 58) om = digits(text, i + 4, 2);
      else if (rest === 4) om = digits(text, i + 3, 2);
      else if (rest !== 2) return null;
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return null;
      offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i = n;
    }
    if (i !== n) return null;
  }
  const ticks = toTicks(year, month, day, hour, minute, second, fraction7, offsetMinutes);
  return ticks === null ? null : { ticks, lossy };
}

/** Both locale forms: groups 1-7 are the same fields (day and month in the order the form writes them). */
function parseLocale(text: string): ParsedTime | null {
  const dotted = DOTTED_LOCALE_TIME.exec(text);
  const m = dotted ?? LOCALE_TIME.exec(text);
  if (!m) return null;
  const [day, month] = dotted ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
  let hour = Number(m[4]);
  const meridiem = m[8]?.toUpperCase(); // the US form only
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
  }
  const fractionText = m[7] ?? '';
  const fraction7 = fractionText ? Number(fractionText) * (FRACTION_SCALE[fractionText.length] ?? 1) : 0;
  const ticks = toTicks(Number(m[3]), month, day, hour, Number(m[5]), Number(m[6] ?? 0), fraction7, 0);
  return ticks === null ? null : { ticks, lossy: true };
}

/** Parses an event time to exact ticks, or null when the text is no time Lineage reads. */
export function parseTime(text: string): ParsedTime | null {
  const trimmed = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) ? text.trim() : text;
  return parseIso(trimmed) ?? parseLocale(trimmed);
}

/**
 * A time bound a user types (`--from`, `--to`, `?from=`): an ISO 8601 time as parseTime reads it, or a date alone
 * (`2024-05-06`), which is that day's midnight UTC, as Kusto's datetime(2024-05-06) is. Event times in data stay
 * strict (parseTime): a date alone there is more likely a truncated export than an exact time.
 */
export function parseTimeOrDate(text: string): ParsedTime | null {
  const trimmed = text.trim();
  if (trimmed.length === 10 && trimmed.charCodeAt(4) === 45 && trimmed.charCodeAt(7) === 45) {
    const year = digits(trimmed, 0, 4), month = digits(trimmed, 5, 2), day = digits(trimmed, 8, 2);
    if (year < 0 || month < 0 || day < 0) return null;
    const ticks = toTicks(year, month, day, 0, 0, 0, 0, 0);
    return ticks === null ? null : { ticks, lossy: false };
  }
  return parseTime(trimmed);
}
