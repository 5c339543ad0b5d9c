// Parser for Advanced Hunting API responses: `{"Schema":[...],"Results":[...]}` (Defender API) and Graph's
// `{"schema":[...],"results":[...]}`. The document is streamed by the ingest layer; each result row lands here.
import type { ParseOutcome } from '../domain';
import { parseMdeRowObject, type ParserContext } from './parse-mde-row-object';

/** Parses one row of the response's Results array (`position` counts rows from 1). */
export function parseMdeApiRow(value: unknown, position: number, ctx: ParserContext): ParseOutcome[] {
  return [parseMdeRowObject(value, position, JSON.stringify(value) ?? '', ctx)];
}
