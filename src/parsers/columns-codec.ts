// The stored form of a row's columns: a JSON array `[extras, v0, v1, ...]` with each known column's coerced value
// at its schema position and the columns the schema does not know in `extras` (an object, or null). Column names
// are most of a row's bytes; leaving them out makes rows less than half the size, and ingest is bound by writing.
import type { TableName } from '../domain';
import { MDE_COLUMN_LIST } from './mde-columns';

/** Every column of a stored row by name, in schema order, then the unknown ones. */
export function decodeColumns(table: TableName, text: string): Record<string, unknown> {
  const parsed = JSON.parse(text) as unknown;
  // Windows event records (Sysmon, Security) are stored as they arrived: their fields are not MDE columns.
  if (!Array.isArray(parsed)) return parsed as Record<string, unknown>;
  const values = parsed;
  const row: Record<string, unknown> = {};
  for (const spec of MDE_COLUMN_LIST[table]) {
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
