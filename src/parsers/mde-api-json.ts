// Parser for Advanced Hunting API responses: `{"Schema":[...],"Results":[...]}` (Defender API) and Graph's
// `{"schema":[...],"results":[...]}`; and for responses of tables, whose rows are arrays of values in the order of
// their table's columns: `{"tables":[{"name","columns":[{"name","type"}],"rows":[[...]]}]}` (the Log Analytics query
// API, where Sentinel keeps the same tables) and `{"Tables":[{"TableName","Columns":[{"ColumnName",...}],"Rows":...}]}`
// (Azure Data Explorer, where the streaming API's events are often landed). The document is streamed by the ingest
// layer; each result row lands here.
import type { ParseOutcome } from '../domain';
import { parseMdeRowObject, type ParserContext } from './parse-mde-row-object';

/** Parses one row of the response's Results array (`position` counts rows from 1, `text` is its source). */
export function parseMdeApiRow(value: unknown, position: number, ctx: ParserContext, text: string): ParseOutcome[] {
  return [parseMdeRowObject(value, position, text, ctx)];
}

/** One table of a response of tables, as its rows need it. */
export type ResultTable =
  | { columns: readonly string[] }
  /** Its rows are not events (Azure Data Explorer's QueryProperties and completion tables): skipped, named. */
  | { skipped: string }
  /** Its columns cannot be read: each of its rows is a reject saying so. */
  | { error: string };

/** The table whose columns are `columnsText`, the JSON array a response of tables gives for it. */
export function resultTable(columnsText: string): ResultTable {
  let columns: unknown;
  try {
    columns = JSON.parse(columnsText);
  } catch (error) {
    return { error: `the table's columns are not JSON: ${(error as Error).message}` };
  }
  const names: string[] = [];
  for (const column of Array.isArray(columns) ? columns : []) {
    const name = typeof column === 'string' ? column
      : typeof column === 'object' && column !== null ? (column as Record<string, unknown>).name ?? (column as Record<string, unknown>).ColumnName
      : undefined;
    if (typeof name !== 'string') return { error: `the table's columns have no names: ${columnsText.slice(0, 200)}` };
    names.push(name);
  }
  if (!names.includes('DeviceId') && !names.includes('DeviceName')) return { skipped: 'result table without DeviceId or DeviceName' };
  return { columns: names };
}

/** Parses one row of a response of tables: `value` should be an array of values, one per column of `table`. */
export function parseMdeTableRow(value: unknown, position: number, raw: string, table: ResultTable,
  ctx: ParserContext): ParseOutcome[] {
  if ('skipped' in table) return [{ skipped: table.skipped }];
  if ('error' in table) return [{ issue: { file: ctx.file, line: position, message: table.error, raw } }];
  const { columns } = table;
  if (!Array.isArray(value)) return [{ issue: { file: ctx.file, line: position, message: 'a row that is not a JSON array', raw } }];
  if (value.length !== columns.length) {
    return [{ issue: { file: ctx.file, line: position, message: `a row of ${value.length} values for ${columns.length} columns`, raw } }];
  }
  // No prototype: a column the input names `__proto__` is a column like any other.
  const row = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < columns.length; i++) row[columns[i] as string] = value[i];
  return [parseMdeRowObject(row, position, raw, ctx)];
}
