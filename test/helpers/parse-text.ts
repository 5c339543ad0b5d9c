// Runs the parse side of ingest on a string, as if it were a file, and gathers what came out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormatName, NormalizedEvent, ParseIssue, ParseWarning, TableName } from '../../src/domain';
import { parseFile } from '../../src/ingest';

export interface ParsedText {
  format: FormatName | null;
  events: NormalizedEvent[];
  lines: number[];
  issues: ParseIssue[];
  skipped: Record<string, number>;
  warnings: ParseWarning[];
  columns: string[];
}

/** Writes `content` to `dir/name` and parses it with the given options. */
export async function parseText(dir: string, name: string, content: string | Buffer,
  options: { format?: FormatName | 'auto'; table?: TableName | null; timeZone?: string } = {}): Promise<ParsedText> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const out: ParsedText = { format: null, events: [], lines: [], issues: [], skipped: {}, warnings: [], columns: [] };
  for await (const event of parseFile(path, name, { format: options.format ?? 'auto', table: options.table ?? null, timeZone: options.timeZone })) {
    if (event.type === 'start') {
      out.format = event.format;
      continue;
    }
    if (event.type === 'passedOver') continue;
    const { chunk } = event;
    out.events.push(...chunk.events);
    out.lines.push(...chunk.lines);
    out.issues.push(...chunk.issues);
    out.warnings.push(...chunk.warnings);
    for (const [table, count] of Object.entries(chunk.skipped)) out.skipped[table] = (out.skipped[table] ?? 0) + count;
    const bytes = Buffer.from(chunk.columns.buffer, chunk.columns.byteOffset, chunk.columns.byteLength);
    let start = 0;
    for (const end of chunk.columnEnds) {
      out.columns.push(bytes.toString('utf8', start, end));
      start = end;
    }
  }
  return out;
}
