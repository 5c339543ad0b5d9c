// Coerces one column value to its schema type, the same way for every input format, so that the same event read
// from NDJSON, a streaming blob, an API response or a CSV export gives identical stored columns.
import { formatTicks, parseTime, type DateOrder, type Ticks, type YearLastOrder } from '../domain';
import type { ColumnType } from './mde-columns';

/** A value of the schema type; for a time text, whether it was lossy and, for a regional form, the order it was read in. */
export type Coerced = { value: unknown; lossy?: boolean; order?: DateOrder } | { error: string };

const INTEGER_TEXT = /^[+-]?\d+$/;
const HEX_TEXT = /^0[xX][0-9a-fA-F]+$/;

/** Whether `text` has Kusto's canonical datetime shape (`yyyy-MM-ddTHH:mm:ss.fffffffZ`). */
export function isCanonicalTime(text: string): boolean {
  return text.length === 28 && text.charCodeAt(10) === 84 && text.charCodeAt(19) === 46 && text.charCodeAt(27) === 90;
}

function describe(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function coerceInteger(raw: unknown): Coerced {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? { value: raw } : { error: `not an integer: ${describe(raw)}` };
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (INTEGER_TEXT.test(text)) {
      const value = Number(text);
      if (Number.isSafeInteger(value)) return { value };
    } else if (HEX_TEXT.test(text)) {
      const value = Number.parseInt(text.slice(2), 16);
      if (Number.isSafeInteger(value)) return { value };
    }
  }
  return { error: `not an integer: ${describe(raw)}` };
}

/** An integer (decimal or `0x` hex, number or text) or null when absent or not one: for sources whose fields are never rejected. */
export function integerOrNull(raw: unknown): number | null {
  const coerced = coerceInteger(raw);
  return 'value' in coerced ? (coerced.value as number | null) : null;
}

function coerceTime(raw: unknown, yearLast: YearLastOrder, toUtc: ((local: Ticks) => Ticks) | null): Coerced {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  if (typeof raw !== 'string') return { error: `not a time: ${describe(raw)}` };
  const parsed = parseTime(raw, yearLast);
  if (!parsed) return { error: `not a time: ${describe(raw)}` };
  if (toUtc) return { value: formatTicks(toUtc(parsed.ticks)), lossy: parsed.lossy, order: parsed.order };
  return { value: isCanonicalTime(raw) ? raw : formatTicks(parsed.ticks), lossy: parsed.lossy, order: parsed.order };
}

// Dynamic columns are stored as their JSON text, the form CSV and the streaming API already carry.
function coerceDynamic(raw: unknown): Coerced {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  if (typeof raw === 'string') return { value: raw };
  return { value: JSON.stringify(raw) };
}

function coerceBool(raw: unknown): Coerced {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  if (typeof raw === 'boolean') return { value: raw };
  if (raw === 1 || raw === 0) return { value: raw === 1 };
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true' || text === '1') return { value: true };
    if (text === 'false' || text === '0') return { value: false };
  }
  return { error: `not a boolean: ${describe(raw)}` };
}

function coerceString(raw: unknown): Coerced {
  if (typeof raw === 'string') return { value: raw };
  // Kusto strings are never null: a missing string is the empty string.
  if (raw === null || raw === undefined) return { value: '' };
  if (typeof raw === 'object') return { value: JSON.stringify(raw) };
  return { value: String(raw) };
}

/**
 * Coerces a raw column value to the schema type; an error names what was wrong with the value. `yearLast` says how a
 * regional date with the year last is read; `toUtc`, given for a column in the exporter's local time, places it in UTC.
 */
export function coerceColumn(type: ColumnType, raw: unknown, yearLast: YearLastOrder = 'auto',
  toUtc: ((local: Ticks) => Ticks) | null = null): Coerced {
  switch (type) {
    case 'string': return coerceString(raw);
    case 'long':
    case 'int': return coerceInteger(raw);
    case 'datetime': return coerceTime(raw, yearLast, toUtc);
    case 'dynamic': return coerceDynamic(raw);
    case 'bool': return coerceBool(raw);
  }
}
