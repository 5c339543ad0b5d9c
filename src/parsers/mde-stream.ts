// Parser for Defender's streaming API: records as Azure Storage writes them (PT1H.json, one record per line,
// `{"time","tenantId","operationName","category":"AdvancedHunting-<Table>","properties":{...}}`) and as Event Hubs
// messages (`{"records":[...]}`). The event time is properties.Timestamp; the envelope's `time` is publish time.
import type { ParseOutcome, TableName } from '../domain';
import { parseJsonLine, parseMdeRowObject, type ParserContext } from './parse-mde-row-object';
import { rawText, type RawText } from './raw-text';

const CATEGORY_PREFIX = 'AdvancedHunting-';

function parseRecord(record: unknown, line: number, raw: RawText, ctx: ParserContext): ParseOutcome {
  if (typeof record !== 'object' || record === null) {
    return { issue: { file: ctx.file, line, message: 'streaming record is not an object', raw: rawText(raw) } };
  }
  const { category, properties } = record as Record<string, unknown>;
  if (typeof category !== 'string' || !category.startsWith(CATEGORY_PREFIX)) {
    return { issue: { file: ctx.file, line, message: 'streaming record without an AdvancedHunting-<Table> category', raw: rawText(raw) } };
  }
  const tableName = category.slice(CATEGORY_PREFIX.length);
  if (tableName !== 'DeviceProcessEvents' && tableName !== 'DeviceNetworkEvents') return { skipped: tableName };
  if (typeof properties !== 'object' || properties === null) {
    return { issue: { file: ctx.file, line, message: 'streaming record without properties', raw: rawText(raw) } };
  }
  // The envelope (time, tenantId, operationName) is transport metadata, not a column of the table: the stored row
  // is `properties`, so a streamed event and the same event from an export are stored identically.
  return parseMdeRowObject(properties, line, raw, ctx, ctx.forcedTable ?? (tableName as TableName));
}

/** Parses one parsed JSON value: a record, or an Event Hubs message holding `records`. */
export function parseMdeStreamValue(value: unknown, line: number, raw: string, ctx: ParserContext): ParseOutcome[] {
  const records = (value as { records?: unknown } | null)?.records;
  if (Array.isArray(records)) {
    // A record's own text is made only for a reject: most records of a message are stored, not rejected.
    return records.map((record) => parseRecord(record, line, records.length === 1 ? raw : () => JSON.stringify(record), ctx));
  }
  return [parseRecord(value, line, raw, ctx)];
}

/** Parses one line of a PT1H.json blob or of a file of Event Hubs messages. */
export function parseMdeStreamLine(text: string, line: number, ctx: ParserContext): ParseOutcome[] {
  const parsed = parseJsonLine(text, line, ctx.file);
  if (!('value' in parsed)) return [parsed];
  return parseMdeStreamValue(parsed.value, line, text, ctx);
}
