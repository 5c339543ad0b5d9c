// Frames a decoded input stream into raw records (lines, CSV records, or items of a streamed JSON document) and
// runs the format's parser over them, yielding parsed chunks of bounded size. Nothing here holds a whole file.
// Longer than most files because the three framings share the chunk helpers at its top (and the waiting for context).
import type { Readable } from 'node:stream';
import { InvalidInput, zoneToUtc, type FormatName, type ParseOutcome } from '../domain';
import {
  csvColumnNames, csvLocalTimeColumns, csvQuoteOpen, csvSeparator, DateOrderEvidence, excelSeparatorLine, isPowerShellTypeLine, parseMdeApiRow, parseMdeCsvRecord,
  parseMdeNdjsonLine, parseMdeNdjsonValue, parseMdeStreamLine, parseMdeStreamValue, parseWindowsEventLine,
  parseWindowsEventValue, parseWindowsXmlEvent, splitCsvRecord, type CsvSeparator, type DetectedFormat, type ParserContext,
  isDataExplorerFrames, parseMdeTableRow, resultTable, type ResultTable,
} from '../parsers';
import { FRAMES, jsonArrayItems, MalformedDocument, OBJECT_SEQUENCE, type ItemBatch } from './json-array-items';
import { lineBatches, MAX_LINE_BYTES, OVERLONG_HEAD_BYTES, type LineBatch } from './line-batches';
import { avroBodies } from './avro-bodies';
import { messageRecords, SPLIT_MESSAGE_BYTES } from './stream-messages';
import { RECODED_WARNING } from './decode-text';
import { evtxRecords } from './evtx-records';
import { xmlEventItems } from './xml-event-items';
import { addIssue, addOutcomes, chunkIsFull, emptyChunk, packColumns, type ParsedChunk } from './parsed-chunk';

const LINE_PARSERS: Partial<Record<FormatName, (text: string, line: number, ctx: ParserContext) => ParseOutcome[]>> = {
  'mde-ndjson': parseMdeNdjsonLine,
  'mde-stream': parseMdeStreamLine,
  'mde-api-json': (text, line, ctx) => parseMdeNdjsonLine(text, line, ctx),
  'windows-events': parseWindowsEventLine,
};

/** Parsers of one item of a JSON document: its value, and its source text (kept with a reject). */
const VALUE_PARSERS: Record<Exclude<FormatName, 'mde-csv'>, (value: unknown, position: number, ctx: ParserContext, text: string) => ParseOutcome[]> = {
  // Windows events store their record as compact JSON, whatever the document's layout: stringified, not the text.
  'windows-events': (value, position, ctx) => parseWindowsEventValue(value, JSON.stringify(value), position, ctx)
    .map((outcome) => ('defer' in outcome ? { skipped: 'Windows event (collector-local time only)' } : outcome)),
  'mde-ndjson': parseMdeNdjsonValue,
  'mde-stream': (value, position, ctx, text) => parseMdeStreamValue(value, position, text, ctx),
  'mde-api-json': parseMdeApiRow,
};

/**
 * The top-level keys whose array a JSON document's rows are in: API responses, Event Hubs messages, Graph's `value`;
 * and the array of tables of columns and rows (Log Analytics, Azure Data Explorer).
 */
const CONTAINER_KEYS: ReadonlySet<string> = new Set(['Results', 'results', 'records', 'value', 'tables', 'Tables']);

/** Lines held back for context learned later in the file (a collector's clock); beyond this, decide with what is known. */
const MAX_DEFERRED = 100_000;
/** CSV records held while their file's date order is unknown (about 1.2 KB each): then read by the form's rule. */
const MAX_DEFERRED_RECORDS = 10_000;

/** The reject for a line or CSV record over MAX_LINE_BYTES, which is skipped, not parsed. */
function overlongIssue(chunk: ParsedChunk, file: string, line: number, bytes: number, head: string): void {
  addIssue(chunk, {
    file, line, raw: head,
    message: `${bytes.toLocaleString('en-US')} bytes without a line end, over the ${MAX_LINE_BYTES / 2 ** 20} MiB limit: `
      + `skipped (the first ${OVERLONG_HEAD_BYTES} bytes are kept)`,
  });
}

/**
 * `parse(input, line, ctx)`, or a reject of `raw` when the record cannot be walked at all: nested so deeply that
 * reading it overflows the stack (a hostile `[[[[...` in a cell), or a value too long for a string. One record, not
 * the file, is lost. The parser and its input are passed apart, so no closure is made per record; `raw` goes to the
 * parser too, as the source text of a parsed value.
 */
function guarded<T>(parse: (input: T, line: number, ctx: ParserContext, raw: string) => ParseOutcome[], input: T, line: number,
  ctx: ParserContext, raw: string): ParseOutcome[] {
  try {
    return parse(input, line, ctx, raw);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [{ issue: { file: ctx.file, line, message: `not read: ${error.message} (nested too deeply, or a value too long?)`, raw } }];
  }
}

/** A warning for each line (or item) of the batch whose bytes were not all UTF-8 (decode-text.ts). */
function warnRecoded(chunk: ParsedChunk, file: string, recoded: readonly number[]): void {
  for (const line of recoded) chunk.warnings.push({ file, line, message: RECODED_WARNING });
}

/** What a file's records may wait for: something learned later in the same file (a collector's clock, a date order). */
interface Learner {
  canLearnMore(): boolean;
  finish(): void;
}

/**
 * Records that wait (`defer`) for what `learner` learns later in their file, read again with `parse` once it can
 * learn no more: it decides with what it knows when more than `max` wait, and at the end of the file.
 */
function waitingRecords(learner: Learner | undefined, max: number, parse: (text: string, line: number) => ParseOutcome[]) {
  const waiting: Array<{ text: string; line: number }> = [];
  return {
    /** Adds a record's outcomes to `chunk`, or keeps the record to read again. */
    add(chunk: ParsedChunk, outcomes: ParseOutcome[], text: string, line: number): void {
      if (outcomes.length === 1 && 'defer' in (outcomes[0] as ParseOutcome)) waiting.push({ text, line });
      else addOutcomes(chunk, outcomes, line);
    },
    /** After a batch, or at the end of the file (`end`): the waiting records, read again if nothing more can be learned. */
    settle(chunk: ParsedChunk, end: boolean): void {
      if (end || waiting.length > max) learner?.finish();
      if (waiting.length === 0 || learner?.canLearnMore()) return;
      for (const { text, line } of waiting.splice(0)) addOutcomes(chunk, parse(text, line).filter((o) => !('defer' in o)), line);
    },
  };
}

/** Calls `text` for each line (or item) of `batch` and `overlong` for each over the limit, in order. */
function eachLine(batch: Pick<LineBatch, 'texts' | 'lines' | 'overlong'>, text: (text: string, line: number) => void,
  overlong: (line: number, bytes: number, head: string) => void): void {
  const { texts, lines, overlong: long } = batch;
  let o = 0;
  for (let i = 0; i <= texts.length; i++) {
    // The lines over the limit before this one (after the last text: all that are left).
    const line = i < texts.length ? lines[i] as number : Infinity;
    for (; o < long.length && long[o]!.line < line; o++) overlong(long[o]!.line, long[o]!.bytes, long[o]!.head);
    if (i < texts.length) text(texts[i] as string, line);
  }
}

async function* framedLines(stream: Readable, format: FormatName, ctx: ParserContext, batchSize: number,
  atFileStart: boolean): AsyncGenerator<ParsedChunk> {
  const parseLine = LINE_PARSERS[format];
  if (!parseLine) throw new InvalidInput(`ingest: format ${format} is not line-based`);
  let chunk = emptyChunk();
  const parse = (text: string, line: number): ParseOutcome[] => guarded(parseLine, text, line, ctx, text);
  const waiting = waitingRecords(ctx.clock, MAX_DEFERRED, parse);
  const add = (text: string, line: number): void => waiting.add(chunk, parse(text, line), text, line);
  let linesRead = 0;
  // A line of Event Hubs messages is read record by record.
  const longLine = format === 'mde-stream' ? { bytes: SPLIT_MESSAGE_BYTES, split: messageRecords } : undefined;
  for await (const batch of lineBatches(stream, atFileStart, MAX_LINE_BYTES, longLine)) {
    eachLine(batch, add, (line, bytes, head) => overlongIssue(chunk, ctx.file, line, bytes, head));
    warnRecoded(chunk, ctx.file, batch.recoded);
    linesRead = batch.through;
    waiting.settle(chunk, false);
    if (chunkIsFull(chunk, batchSize)) {
      chunk.linesRead = linesRead;
      yield packColumns(chunk);
      chunk = emptyChunk();
    }
  }
  waiting.settle(chunk, true);
  chunk.linesRead = linesRead;
  yield packColumns(chunk);
}

type RecordParser = (text: string, line: number, ctx: ParserContext) => ParseOutcome[];

async function* framedCsv(stream: Readable, ctx: ParserContext, batchSize: number): AsyncGenerator<ParsedChunk> {
  let chunk = emptyChunk();
  /** The parser of this file's records, once its header row has named the columns. */
  let parseRecord: RecordParser | null = null;
  /** What separates cells: named by an Excel `sep=` line, else told from the header row (once `separatorKnown`). */
  let separator: CsvSeparator = ',';
  let separatorKnown = false;
  let record = '';
  let recordLine = 0;
  let open = false;
  let lastLine = 0;
  /** The file's slashed date order, learned from its rows: records wait until it is settled. */
  const dates = new DateOrderEvidence();
  // Only records after the header wait, so the parser is known by then.
  const parse = (text: string, line: number): ParseOutcome[] => guarded(parseRecord as RecordParser, text, line, ctx, text);
  const waiting = waitingRecords(dates, MAX_DEFERRED_RECORDS, parse);
  const finish = (): void => {
    if (!parseRecord) {
      const header = splitCsvRecord(record, separator);
      const names = 'cells' in header ? header.cells : record.split(separator);
      const columns = csvColumnNames(names);
      const cellsBy = separator; // fixed from here on (the closure must not see a later assignment)
      const local = csvLocalTimeColumns(names);
      // Times in the exporter's local time are placed in UTC through the zone the user names, or rejected.
      const localTimes = local.size === 0 ? undefined
        : { columns: local, zone: ctx.timeZone ?? null, toUtc: ctx.timeZone ? zoneToUtc(ctx.timeZone) : null };
      const fileCtx: ParserContext = { ...ctx, localTimes, dates };
      parseRecord = (text, line) => parseMdeCsvRecord(text, columns, line, fileCtx, cellsBy);
    } else {
      waiting.add(chunk, parse(record, recordLine), record, recordLine);
    }
  };
  for await (const batch of lineBatches(stream)) {
    eachLine(batch, (text, line) => {
      if (!separatorKnown) {
        // Before the header: PowerShell's `#TYPE` line and Excel's `sep=;` line are not records. The latter names
        // the separator; else the header tells it.
        if (isPowerShellTypeLine(text)) return;
        separatorKnown = true;
        const named = excelSeparatorLine(text);
        if (named !== null) {
          separator = named;
          return;
        }
        separator = csvSeparator(text);
      }
      // A quoted cell left open continues on the next line, with the line break it contained.
      if (open) record += '\n'.repeat(line - lastLine) + text; // blank lines inside the cell were not yielded
      else {
        record = text;
        recordLine = line;
      }
      lastLine = line;
      open = csvQuoteOpen(text, open, separator);
      if (open && record.length > MAX_LINE_BYTES) {
        // A quote that never closes (a stray one at a cell's start) would make the rest of the file one record.
        overlongIssue(chunk, ctx.file, recordLine, Buffer.byteLength(record), record.slice(0, OVERLONG_HEAD_BYTES));
        open = false;
      } else if (!open) {
        finish();
      }
    }, (line, bytes, head) => {
      if (open) finish(); // the record it would continue is reported as it stands (an unterminated quote)
      open = false;
      lastLine = line;
      overlongIssue(chunk, ctx.file, line, bytes, head);
    });
    warnRecoded(chunk, ctx.file, batch.recoded);
    waiting.settle(chunk, false);
    if (chunkIsFull(chunk, batchSize)) {
      yield packColumns(chunk);
      chunk = emptyChunk();
    }
  }
  if (open) finish(); // an unterminated quote at the end: reported by the record splitter
  waiting.settle(chunk, true);
  yield packColumns(chunk);
}

async function* framedDocument(stream: Readable, head: string, format: FormatName, ctx: ParserContext,
  batchSize: number): AsyncGenerator<ParsedChunk> {
  const parseValue = VALUE_PARSERS[format as Exclude<FormatName, 'mde-csv'>];
  const startsWithArray = head.replace(/^\uFEFF/, '').trimStart().startsWith('[');
  // Not an array, and not a container of one: pretty-printed row objects, streaming records or Windows events
  // (ConvertTo-Json, jq) one after another, or just one. Each is an item, so one broken object loses only itself.
  const objects = !startsWithArray && (format === 'mde-ndjson' || format === 'windows-events'
    || (format === 'mde-stream' && !/"records"\s*:/.test(head)));
  const tables = resultTables();
  const parseTableRow = (value: unknown, position: number, context: ParserContext, text: string): ParseOutcome[] =>
    parseMdeTableRow(value, position, text, tables.at(position) as ResultTable, context);
  // Azure Data Explorer's v2 response: the rows of the tables among its frames.
  const frames = format === 'mde-api-json' && isDataExplorerFrames(head);
  const keys = frames ? FRAMES : startsWithArray ? null : objects ? OBJECT_SEQUENCE : CONTAINER_KEYS;
  yield* framedItems(jsonArrayItems(stream, keys), (text, position) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return [{ issue: { file: ctx.file, line: position, message: `malformed JSON: ${(error as Error).message}`, raw: text } }];
    }
    if (tables.at(position) === null || format !== 'mde-api-json') return guarded(parseValue, value, position, ctx, text);
    return guarded(parseTableRow, value, position, ctx, text);
  }, ctx, batchSize, 'malformed JSON document', tables.add);
}

/**
 * The tables of a response of tables, as its items are read in order: `add` takes the tables a batch names (each
 * for the rows from position `from` on), `at` gives the table of the row at `position` (null before any table).
 */
function resultTables(): { add: (found: NonNullable<ItemBatch['tables']>) => void; at: (position: number) => ResultTable | null } {
  const later: Array<{ from: number; table: ResultTable }> = [];
  let current: ResultTable | null = null;
  return {
    add(found) {
      for (const { from, columns } of found) {
        // A table with no rows is followed by the next at the same position: only the last of them has rows to read.
        const last = later[later.length - 1];
        if (last && last.from === from) last.table = resultTable(columns);
        else later.push({ from, table: resultTable(columns) });
      }
    },
    at(position) {
      for (let next = later[0]; next && next.from <= position; next = later[0]) {
        current = next.table;
        later.shift();
      }
      return current;
    },
  };
}

/**
 * Chunks of the items of a framed document (JSON array items, XML events), each parsed on its own by `parseItem`.
 * When the structure itself breaks, nothing after it can be told apart: what was read is kept and one reject, its
 * message starting with `broken`, says where.
 */
async function* framedItems(items: AsyncGenerator<ItemBatch>, parseItem: (text: string, position: number) => ParseOutcome[],
  ctx: ParserContext, batchSize: number, broken: string,
  onTables?: (tables: NonNullable<ItemBatch['tables']>) => void): AsyncGenerator<ParsedChunk> {
  let chunk = emptyChunk();
  let through = 0;
  const add = (text: string, position: number): void => addOutcomes(chunk, parseItem(text, position), position);
  try {
    for await (const batch of items) {
      for (const { line, message } of batch.unreadable ?? []) addIssue(chunk, { file: ctx.file, line, message, raw: '' });
      if (batch.tables) onTables?.(batch.tables);
      eachLine(batch, add, (position, bytes, text) => overlongIssue(chunk, ctx.file, position, bytes, text));
      warnRecoded(chunk, ctx.file, batch.recoded);
      through = batch.through;
      if (chunkIsFull(chunk, batchSize)) {
        chunk.linesRead = through;
        yield packColumns(chunk);
        chunk = emptyChunk();
      }
    }
  } catch (error) {
    if (!(error instanceof MalformedDocument)) throw error;
    addIssue(chunk, { file: ctx.file, line: error.position, message: `${broken}: ${error.message}`, raw: '' });
  }
  // Items play the part of lines: a split file's later ranges number theirs on from here (see shiftLines).
  chunk.linesRead = through;
  yield packColumns(chunk);
}

/**
 * Windows events as XML, one at a time, each parsed on its own: from an XML export (wevtutil, Event Viewer), or
 * rendered from a binary .evtx log's records.
 */
function framedXml(events: AsyncGenerator<ItemBatch>, ctx: ParserContext, batchSize: number): AsyncGenerator<ParsedChunk> {
  return framedItems(events, (text, position) => guarded(parseWindowsXmlEvent, text, position, ctx, text),
    ctx, batchSize, 'truncated');
}

/**
 * Parses an input stream of a detected format into chunks of about `batchSize` events. `atFileStart` is false for
 * a byte range from inside a file (lines, Windows XML events, .evtx chunks), whose records are numbered from the
 * range's start.
 */
export function parseInput(stream: Readable, head: Buffer, detected: DetectedFormat, ctx: ParserContext,
  batchSize = 2000, atFileStart = true): AsyncGenerator<ParsedChunk> {
  switch (detected.framing) {
    case 'lines': return framedLines(stream, detected.format, ctx, batchSize, atFileStart);
    case 'csv': return framedCsv(stream, ctx, batchSize);
    case 'xml': return framedXml(xmlEventItems(stream), ctx, batchSize);
    case 'evtx': return framedXml(evtxRecords(stream, atFileStart), ctx, batchSize);
    // Each record's Body is one Event Hubs message, read as a line of them is.
    case 'avro': return framedItems(avroBodies(stream), (text, position) => guarded(parseMdeStreamLine, text, position, ctx, text),
      ctx, batchSize, 'broken Event Hubs Capture file');
    case 'document': return framedDocument(stream, head.toString('utf8', 0, Math.min(head.length, 4096)), detected.format, ctx, batchSize);
  }
}
