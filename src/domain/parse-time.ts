// Parses event times exactly into ticks: ISO 8601 with 0 to 7 fractional digits (more are cut to 100 ns),
// with or without a zone (no zone means UTC), and the numeric regional forms a portal CSV export writes in the
// user's locale (`2/25/2025, 9:19:25.391 AM` in en-US, `25/02/2025, 09:19:25.391` in en-GB, `25.02.2025 09:19:25,391`
// in de), flagged lossy because the export rounded them to milliseconds, with the date order they were read in.
import { daysFromCivil, daysInMonth, TICKS_PER_SECOND, type Ticks } from './ticks';

/** How a regional form's date was read: what a warning tells the user, who can check it against the exporter's locale. */
export type DateOrder = 'month/day/year' | 'day/month/year' | 'year/month/day';

/**
 * How to read a regional date with the year last: as its form says (`auto`, see parseRegional), or as the user says
 * (`--date-order`), for the forms no rule can tell apart: `5/2/2025, 9:19:25 PM` is month first in en-US and day
 * first in ta-IN and te-IN.
 */
export type YearLastOrder = 'auto' | 'day-first' | 'month-first';
export const YEAR_LAST_ORDERS: readonly YearLastOrder[] = ['auto', 'day-first', 'month-first'];

/** Regional years past this are refused: Thai exports count in the Buddhist era (2568 is 2025). */
const LAST_REGIONAL_YEAR = 2399;

export interface ParsedTime {
  ticks: Ticks;
  /** The text carried less precision than the source had (regional form, or more than 7 digits cut). */
  lossy: boolean;
  /** Set for a regional form: the order its date was read in. */
  order?: DateOrder;
  /**
   * How finely the text places the event, in ticks: 1 for 7 fractional digits (or more), 10,000 for milliseconds, a
   * second for none, a minute for a time written without seconds. Two exports of one event that differ only in this
   * (a stream's 7 digits, a portal CSV's milliseconds, a converter's microseconds) are one event: the store compares
   * them at the coarser one (store/time-precision.ts).
   */
  resolution: Ticks;
}

/**
 * A numeric regional form, as browsers write dates and times (CLDR): three date numbers with one separator (`/`,
 * `.` or `-`, maybe followed by a space: `6. 5. 2024`), maybe a trailing `.` or ` г.`, maybe a comma, then the time
 * (`:` or `.` between its parts, the fraction after `.` or `,`), maybe a 12-hour marker. Groups: 1 and 3-4 the date
 * numbers, 2 their separator, 5 hour, 6 the time's separator, 7 minute, 8 second, 9 the fraction's separator, 10 the
 * fraction, 11 the marker.
 */
const REGIONAL_TIME = /^(\d{1,4})([/.-]) ?(\d{1,2})\2 ?(\d{1,4})\.?(?:\s?г\.)?,?\s+(\d{1,2})([:.])(\d{2})(?:\6(\d{2})(?:([.,])(\d{1,7}))?)?(?:\s*(AM|PM|am|pm|a\.m\.|p\.m\.))?$/;
const FRACTION_SCALE = [1, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
const MINUTE_TICKS = 60n * TICKS_PER_SECOND;
const DAY_TICKS = 86_400n * TICKS_PER_SECOND;
/** The resolution of a time with this many fractional digits (0 to 7): a digit's worth of ticks, a second for none. */
const FRACTION_RESOLUTION = FRACTION_SCALE.map((scale, count) => (count === 0 ? TICKS_PER_SECOND : BigInt(scale)));

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
  let resolution = TICKS_PER_SECOND;
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    const start = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    const count = i - start;
    if (count === 0) return null;
    const kept = Math.min(count, 7);
    fraction7 = digits(text, start, kept) * (FRACTION_SCALE[kept] ?? 1);
    resolution = FRACTION_RESOLUTION[kept] as bigint;
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
  return ticks === null ? null : { ticks, lossy, resolution };
}

/**
 * A numeric regional form. Which number is the day follows from the form, as CLDR's locales write it: a four-digit
 * first number is the year (ja, zh, hu, sv, en-ZA ...); a slashed date with an upper-case AM or PM is month first
 * (en-US, en-PH); every other form with the year last is day first: dotted and dashed dates (de, ru, pl, nl ...),
 * slashed dates on a 24-hour clock (en-GB, fr, es, it, pt ...) or with `am`, `pm`, `a.m.`, `p.m.` (en-AU, en-IN,
 * es-MX ...). A day-first date is never read month first because its day is 12 or less, nor the other way round.
 */
function parseRegional(text: string, yearLast: YearLastOrder): ParsedTime | null {
  const m = REGIONAL_TIME.exec(text);
  if (!m) return null;
  const [, first = '', separator, second = '', third = '', hourText = '', timeSeparator, minuteText = '', secondText,
    fractionSeparator, fractionText = '', marker] = m;
  // A time written with dots (da, id: `21.19.25,391`) takes its fraction after a comma.
  if (timeSeparator === '.' && fractionSeparator === '.') return null;
  // No locale writes a dotted date with a 12-hour clock.
  if (separator === '.' && marker) return null;
  let year: number, month: number, day: number, order: DateOrder;
  if (first.length === 4 && third.length <= 2) {
    [year, month, day, order] = [Number(first), Number(second), Number(third), 'year/month/day'];
  } else if (third.length === 4 && first.length <= 2) {
    const monthFirst = yearLast === 'auto' ? separator === '/' && (marker === 'AM' || marker === 'PM') : yearLast === 'month-first';
    year = Number(third);
    [month, day] = monthFirst ? [Number(first), Number(second)] : [Number(second), Number(first)];
    order = monthFirst ? 'month/day/year' : 'day/month/year';
  } else {
    return null;
  }
  if (year > LAST_REGIONAL_YEAR) return null;
  let hour = Number(hourText);
  if (marker) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (marker.charCodeAt(0) === 80 || marker.charCodeAt(0) === 112 ? 12 : 0); // 'P', 'p'
  }
  const fraction7 = fractionText ? Number(fractionText) * (FRACTION_SCALE[fractionText.length] ?? 1) : 0;
  const ticks = toTicks(year, month, day, hour, Number(minuteText), Number(secondText ?? 0), fraction7, 0);
  const resolution = secondText === undefined ? MINUTE_TICKS : FRACTION_RESOLUTION[fractionText.length] as bigint;
  return ticks === null ? null : { ticks, lossy: true, order, resolution };
}

/**
 * The first two numbers of a regional time whose date is slashed with the year last (`5/2/2025 9:19`), whose order
 * the form alone may not settle; null for any other text.
 */
export function slashedYearLast(text: string): { first: number; second: number } | null {
  const m = REGIONAL_TIME.exec(text.trim());
  if (!m || m[2] !== '/' || (m[4] ?? '').length !== 4 || (m[1] ?? '').length > 2) return null;
  return { first: Number(m[1]), second: Number(m[3]) };
}

/**
 * Parses an event time to exact ticks, or null when the text is no time Lineage reads. `yearLast` says how a regional
 * date with the year last is read.
 */
export function parseTime(text: string, yearLast: YearLastOrder = 'auto'): ParsedTime | null {
  const trimmed = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) ? text.trim() : text;
  return parseIso(trimmed) ?? parseRegional(trimmed, yearLast);
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
    return ticks === null ? null : { ticks, lossy: false, resolution: DAY_TICKS };
  }
  return parseTime(trimmed);
}

/** The length of a time in the canonical form of streams and API exports: `2024-05-06T10:00:00.1234567Z`. */
const CANONICAL_LENGTH = 28;

/**
 * The resolution (ParsedTime.resolution) of a time text parseTime reads, for the ingest writer, which holds the
 * text: the canonical 7-digit form, the bulk of any feed, is told by its shape without parsing it again. Null for a
 * text parseTime does not read.
 */
export function timeResolution(text: string): Ticks | null {
  if (text.length === CANONICAL_LENGTH && text.charCodeAt(19) === 46 && text.charCodeAt(27) === 90) return 1n;
  return parseTime(text)?.resolution ?? null;
}
