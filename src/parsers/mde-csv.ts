// Parser for CSV exports of the Advanced Hunting tables (portal export, Sentinel/Log Analytics export): the
// header names the columns, possibly with a ` [UTC]` suffix and `TimeGenerated` in place of `Timestamp`.
// Cells are text: coercion to the schema types happens in normalizeMdeRow like for every other format.
import type { ParseOutcome } from '../domain';
import { parseMdeRowObject, type ParserContext } from './parse-mde-row-object';
import { splitCsvRecord, type CsvSeparator } from './split-csv-record';

const UNIT_SUFFIX = /\s*\[[^\]]*\]\s*$/;

/** Canonical column names of a CSV header row (BOM, whitespace and ` [UTC]`-style suffixes removed). */
export function csvColumnNames(header: readonly string[]): string[] {
  return header.map((name, i) => {
    const clean = (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim().replace(UNIT_SUFFIX, '');
    return clean === '' ? `Column${i + 1}` : clean;
  }).map((name, _i, all) => (name === 'TimeGenerated' && !all.includes('Timestamp') ? 'Timestamp' : name));
}

const LOCAL_TIME_SUFFIX = /\[\s*local time\s*\]\s*$/i;

/**
 * The canonical names (as csvColumnNames gives them) of the header's columns whose times are in the exporter's local
 * time: a Sentinel export with its display time zone set to local names them `TimeGenerated [Local Time]`.
 */
export function csvLocalTimeColumns(header: readonly string[]): Set<string> {
  const names = csvColumnNames(header);
  const local = new Set<string>();
  header.forEach((name, i) => {
    if (LOCAL_TIME_SUFFIX.test(name)) local.add(names[i] as string);
  });
  return local;
}

/**
 * Parses one CSV record (its full text, maybe spanning lines), given the file's canonical column names and the
 * separator its header uses.
 */
export function parseMdeCsvRecord(raw: string, columns: readonly string[], line: number, ctx: ParserContext,
  separator: CsvSeparator = ','): ParseOutcome[] {
  const split = splitCsvRecord(raw, separator);
  if ('error' in split) return [{ issue: { file: ctx.file, line, message: `malformed CSV: ${split.error}`, raw } }];
  const { cells } = split;
  if (cells.length !== columns.length) {
    return [{ issue: { file: ctx.file, line, message: `expected ${columns.length} cells, found ${cells.length}`, raw } }];
  }
  const row: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) row[columns[i] as string] = cells[i];
  return [parseMdeRowObject(row, line, raw, ctx)];
}
