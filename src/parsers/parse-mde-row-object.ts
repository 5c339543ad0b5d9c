// Shared step of the JSON-based MDE parsers: a row object of unknown table -> outcome.
import type { ParseOutcome, TableName } from '../domain';
import type { CollectorClock } from './collector-clock';
import { inferTable } from './infer-table';
import { normalizeMdeRow, type RowTimes } from './normalize-mde-row';
import { rawText, type RawText } from './raw-text';

/** What a parser knows about the file it reads, beyond the record itself. */
export interface ParserContext extends RowTimes {
  file: string;
  /** Table forced by the user (--table). */
  forcedTable: TableName | null;
  /** Table named by the file name, if any. */
  fileTable: TableName | null;
  /** The clock of a Windows event collector that writes zone-less local times, learned while reading the file. */
  clock?: CollectorClock;
  /** The IANA zone the user names for local times (--time-zone), if any. */
  timeZone?: string;
}

const isRow = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Normalises a parsed JSON value that should be one Advanced Hunting row. */
export function parseMdeRowObject(value: unknown, line: number, raw: RawText, ctx: ParserContext,
  tableHint: TableName | null = null): ParseOutcome {
  if (!isRow(value)) return { issue: { file: ctx.file, line, message: 'not a JSON object', raw: rawText(raw) } };
  const verdict = tableHint ? { table: tableHint } : inferTable(value, ctx.forcedTable, ctx.fileTable);
  if ('otherTable' in verdict) return { skipped: verdict.otherTable };
  if ('unknown' in verdict) {
    return { issue: { file: ctx.file, line, message: 'cannot tell the table (no Table/Type column, no telling columns; use --table)', raw: rawText(raw) } };
  }
  return normalizeMdeRow(value, verdict.table, ctx.file, line, raw, ctx);
}

/** JSON.parse that reports a malformed line as an issue instead of throwing. */
export function parseJsonLine(text: string, line: number, file: string): { value: unknown } | ParseOutcome {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { issue: { file, line, message: `malformed JSON: ${reason}`, raw: text } };
  }
}
