// The Kusto operator semantics the Sentinel rule relies on, exactly as documented (see ../shared/spec/dcom-rule.md):
// `has` (whole-term, case-insensitive), `=~` / `in~` (case-insensitive equality), bin() and datetime_diff('second').
import { floorDiv, TICKS_PER_SECOND, type Ticks } from '../domain';

const isTermChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** `text has term`: `term` (ASCII letters and digits) occurs as a whole term, case-insensitively. */
export function has(text: string, term: string): boolean {
  const haystack = text.toLowerCase();
  const needle = term.toLowerCase();
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    const before = i === 0 ? 0 : haystack.charCodeAt(i - 1);
    const after = i + needle.length >= haystack.length ? 0 : haystack.charCodeAt(i + needle.length);
    if (!isTermChar(before) && !isTermChar(after)) return true;
  }
  return false;
}

/** `a =~ b`: case-insensitive string equality. */
export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

/** `bin(t, size)`: floor to a multiple of `size` ticks (the Unix epoch is a multiple of 5 s from Kusto's year 1). */
export function bin(t: Ticks, size: Ticks): Ticks {
  return floorDiv(t, size) * size;
}

/** `datetime_diff("second", a, b)`: second boundaries crossed from b to a. */
export function datetimeDiffSeconds(a: Ticks, b: Ticks): bigint {
  return floorDiv(a, TICKS_PER_SECOND) - floorDiv(b, TICKS_PER_SECOND);
}
