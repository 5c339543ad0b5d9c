// Shared step of the JSON-based MDE parsers: a row object of unknown table -> outcome.
import type { ParseOutcome, TableName, YearLastOrder } from '../domain';
import type { CollectorClock } from './collector-clock';
import type { DateOrderEvidence } from './date-order-evidence';
import { inferTable } from './infer-table';
import { normalizeMdeRow, type LocalTimes } from './normalize-mde-row';
import { rawText, type RawText } from './raw-text';

/** What a parser knows about the file it reads, beyond the record itself. */
export interface ParserContext {
  file: string;
  /** Table forced by the user (--table). */
  forcedTable: TableName | null;
  /** Table named by the file name, if any. */
  fileTable: TableName | null;
  /** The clock of a Windows event collector that writes zone-less local times, learned while reading the file. */
  clock?: CollectorClock;
  /** How a regional date with the year last is read (--date-order); `auto` when absent. */
  yearLast?: YearLastOrder;
  /** The IANA zone the user names for local times (--time-zone), if any. */
  timeZone?: string;
  /** Columns of this file whose times are the exporter's local time (a CSV header's `[Local Time]`). */
  localTimes?: LocalTimes;
  /**
   * The date order this file's slashed regional dates show, learned while reading it; rows wait (`defer`) until it
   * is settled. Only where the framing reads deferred rows again (CSV).
   */
  dates?: DateOrderEvidence;
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
  return normalizeMdeRow(value, verdict.table, ctx.file, line, raw, ctx.yearLast, ctx.localTimes, ctx.dates);
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
