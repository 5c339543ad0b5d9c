// Parser for NDJSON rows of the Advanced Hunting tables (one row object per line), and for rows inside a
// JSON document (an array of rows, or one pretty-printed row).
import type { ParseOutcome } from '../domain';
import { parseJsonLine, parseMdeRowObject, type ParserContext } from './parse-mde-row-object';

/** Parses one NDJSON line. */
export function parseMdeNdjsonLine(text: string, line: number, ctx: ParserContext): ParseOutcome[] {
  const parsed = parseJsonLine(text, line, ctx.file);
  if (!('value' in parsed)) return [parsed];
  return [parseMdeRowObject(parsed.value, line, text, ctx)];
}

/** Parses one row taken from a JSON document (`position` is the record's number in the document, `text` its source). */
export function parseMdeNdjsonValue(value: unknown, position: number, ctx: ParserContext, text: string): ParseOutcome[] {
  return [parseMdeRowObject(value, position, text, ctx)];
}
