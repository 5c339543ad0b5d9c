// The stored form of a row's columns: `[extras, v0, v1, ...]`, each known column's coerced value at its schema
// position and the columns the schema does not know in `extras` (an object, or null). Column names are most of a
// row's bytes; leaving them out makes rows less than half the size.
// MDE rows are packed: a tag, the value count and each value's length, then the values back to back as text. Their
// types follow from the schema. JSON.stringify of the same array, the form stores before the packing hold, spent
// more time escaping Windows paths than JSON.parse spent reading the row. Rows holding a lone surrogate keep the
// JSON form (UTF-8 cannot carry one); decodeColumns reads both.
import type { TableName } from '../domain';
import { MDE_COLUMN_LIST } from './mde-columns';

/** The first character of a packed row; stored JSON starts with `[` or `{`. */
const PACKED = 1;
/** Lengths are written six bits a character, 0x40 meaning more follow: ASCII rows stay one-byte strings. */
const MORE = 0x40;

/** String.prototype.isWellFormed (Node 20; not yet in TypeScript's ES2022 library): one-byte strings answer at once. */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

function pushLength(codes: number[], n: number): void {
  while (n >= MORE) {
    codes.push(MORE | (n & 0x3f));
    n = Math.floor(n / MORE);
  }
  codes.push(n);
}

/**
 * The stored text of a row's values (`[extras, v0, v1, ...]`, each null, a string, a number or a boolean; extras
 * an object or null).
 */
export function encodeColumns(values: readonly unknown[]): string {
  const codes: number[] = [PACKED];
  pushLength(codes, values.length);
  const texts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      codes.push(0);
      texts[i] = '';
      continue;
    }
    const text = i === 0 ? JSON.stringify(value) : typeof value === 'string' ? value : String(value);
    pushLength(codes, text.length + 1); // 0 is null
    texts[i] = text;
  }
  const body = texts.join('');
  if (!isWellFormed(body)) return JSON.stringify(values);
  return String.fromCharCode.apply(null, codes) + body;
}

/** The value array of a packed row, values as text (null where null). */
function unpack(text: string): Array<string | null> {
  let at = 1;
  const readLength = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      const code = text.charCodeAt(at++);
      n += (code & 0x3f) * scale;
      if ((code & MORE) === 0) return n;
      scale *= MORE;
    }
  };
  const count = readLength();
  const lengths: number[] = [];
  for (let i = 0; i < count; i++) lengths.push(readLength());
  const values: Array<string | null> = [];
  for (const length of lengths) {
    if (length === 0) {
      values.push(null);
      continue;
    }
    values.push(text.slice(at, at + length - 1));
    at += length - 1;
  }
  return values;
}

/** Every column of a stored row by name, in schema order, then the unknown ones. */
export function decodeColumns(table: TableName, text: string): Record<string, unknown> {
  const specs = MDE_COLUMN_LIST[table];
  let values: unknown[];
  if (text.charCodeAt(0) === PACKED) {
    const texts = unpack(text);
    values = texts.map((value, i) => {
      if (value === null) return null;
      if (i === 0) return JSON.parse(value) as unknown;
      const type = specs[i - 1]?.type;
      return type === 'long' || type === 'int' ? Number(value) : type === 'bool' ? value === 'true' : value;
    });
  } else {
    const parsed = JSON.parse(text) as unknown;
    // Windows event records (Sysmon, Security) are stored as they arrived: their fields are not MDE columns.
    if (!Array.isArray(parsed)) return parsed as Record<string, unknown>;
    values = parsed;
  }
  const row: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = values[spec.index + 1];
    // Kusto strings are never null: an absent string column reads back as ''.
    row[spec.name] = value ?? (spec.type === 'string' ? '' : null);
  }
  const extras = values[0];
  if (extras && typeof extras === 'object') {
    for (const name of Object.keys(extras).sort()) row[name] = (extras as Record<string, unknown>)[name];
  }
  return row;
}
