// Reads one input end to end on the parsing side (or one byte range of a large plain file): open (gunzip, or a zip
// or tar archive entry by entry), detect the format, parse into chunks.
// Runs in a worker thread or inline; it touches no store.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { FORMAT_NAMES, InvalidInput, UnknownFormat, type FormatName, type TableName, type YearLastOrder } from '../domain';
import { CollectorClock, defaultFraming, detectFormat, tableFromFileName, type DetectedFormat, type ParserContext } from '../parsers';
import { openInput, openStream, type OpenedInput } from './open-input';
import { parseInput } from './parse-input';
import type { ParsedChunk } from './parsed-chunk';
import { isTar, tarEntries } from './tar-entries';
import { isZip, zipEntries } from './zip-entries';

export interface ParseFileOptions {
  /** 'auto' detects per file; a name forces that parser. */
  format: FormatName | 'auto';
  /** Forces the table of every row (--table). */
  table: TableName | null;
  /** How a regional date with the year last is read (--date-order); `auto` when absent. */
  yearLast?: YearLastOrder;
  /** The IANA time zone of times a file writes in the exporter's local time (--time-zone). */
  timeZone?: string;
  batchSize?: number;
}

/** A stretch of a file, from a line start to a line start (`end` null: to the end of the file), parsed on its own. */
export interface FileRange {
  start: number;
  end: number | null;
  detected: DetectedFormat;
}

export type FileParseEvent<Chunk = ParsedChunk> =
  /** A source starts: the file itself, or one entry of a zip archive (`archive.zip!entry.json`). */
  | { type: 'start'; name: string; format: FormatName; compressed: boolean }
  /** Events as objects; a worker posts them as rows (`FileParseEvent<RowChunk>`). */
  | { type: 'chunk'; chunk: Chunk }
  /** An entry of an archive that no parser recognises. */
  | { type: 'passedOver'; name: string; message: string };

/** The format and framing of an input whose first decoded bytes are `head`, or null when no parser knows it. */
export function resolveFormat(head: Buffer, options: ParseFileOptions): DetectedFormat | null {
  if (options.format === 'auto') return detectFormat(head.toString('utf8'));
  if (options.format === 'mde-stream' || options.format === 'mde-ndjson' || options.format === 'windows-events') {
    // A named format may come framed otherwise than its default: any JSON one as a pretty-printed document, and a
    // format whose own framings are several (Windows events as XML or .evtx, streaming records in Capture files) as
    // the file shows it.
    const sniffed = detectFormat(head.toString('utf8'));
    if (sniffed && (sniffed.framing === 'document' || sniffed.format === options.format)) {
      return { format: options.format, framing: sniffed.framing };
    }
  }
  return { format: options.format, framing: defaultFraming(options.format) };
}

function parserContext(name: string, options: ParseFileOptions, detected: DetectedFormat): ParserContext {
  return {
    file: name, forcedTable: options.table, fileTable: tableFromFileName(basename(name)),
    clock: detected.format === 'windows-events' ? new CollectorClock() : undefined,
    yearLast: options.yearLast ?? 'auto',
    timeZone: options.timeZone,
  };
}

/** `Get-WinEvent | Export-Csv`: PowerShell 5.1's type line, or the header of EventLogRecord's properties. */
const POWERSHELL_CSV = /^(#TYPE System\.Diagnostics\.Eventing\.Reader\.EventLogRecord|"?Message"?,"?Id"?,.*"?ProviderName"?,.*"?TimeCreated"?)/;
const AS_JSON = 'export them as JSON instead: `Get-WinEvent ... | ConvertTo-Json -Depth 3` (see the README, Input formats)';

/** What an unrecognised input is, when its first bytes tell and the user can do something about it. */
function knownForeignFormat(head: Buffer): string | undefined {
  const text = head.toString('utf8', 0, Math.min(head.length, 4096)).replace(/^\uFEFF/, '').trimStart();
  // An export of a query that found nothing: said so, not left to look like a format problem.
  if (text === '') return 'the file is empty (or only whitespace): nothing to ingest';
  if (POWERSHELL_CSV.test(text)) {
    return 'Windows events saved by PowerShell\'s Export-Csv, which Lineage does not read (the event fields are only in '
      + `the Message text, the times in the exporting machine's local format); ${AS_JSON}`;
  }
  return undefined;
}

/** Parses one opened input (a file, stdin, or a zip entry) that messages call `name`. */
async function* parseOpened(input: OpenedInput, name: string, options: ParseFileOptions,
  compressed: boolean): AsyncGenerator<FileParseEvent> {
  const detected = resolveFormat(input.head, options);
  if (!detected) throw new UnknownFormat(name, FORMAT_NAMES, knownForeignFormat(input.head));
  yield { type: 'start', name, format: detected.format, compressed };
  const ctx = parserContext(name, options, detected);
  for await (const chunk of parseInput(input.stream, input.head, detected, ctx, options.batchSize)) {
    chunk.bytesRead = input.bytesRead();
    yield { type: 'chunk', chunk };
  }
}

/**
 * Parses the bytes [range.start, range.end) of a plain file of line records (see planRanges), already known to be
 * of `range.detected` format. Line numbers in the chunks count from the range's first line.
 */
export async function* parseRange(path: string, displayName: string, options: ParseFileOptions,
  range: FileRange): AsyncGenerator<FileParseEvent> {
  yield { type: 'start', name: displayName, format: range.detected.format, compressed: false };
  const stream = createReadStream(path, { start: range.start, end: range.end === null ? undefined : range.end - 1, highWaterMark: 1 << 20 });
  try {
    const ctx = parserContext(displayName, options, range.detected);
    for await (const chunk of parseInput(stream, Buffer.alloc(0), range.detected, ctx, options.batchSize, range.start === 0)) {
      chunk.bytesRead = stream.bytesRead;
      yield { type: 'chunk', chunk };
    }
  } finally {
    stream.destroy();
  }
}

/** One file inside an archive, opened, parsed as its own source `name` (`archive.zip!entry`). */
async function* parseEntry(input: OpenedInput, name: string, options: ParseFileOptions,
  compressed: boolean): AsyncGenerator<FileParseEvent> {
  try {
    yield* parseOpened(input, name, options, compressed);
  } catch (error) {
    // A README or an image beside the logs in an archive is passed over, like a stray file in a folder.
    if (!(error instanceof UnknownFormat)) throw error;
    yield { type: 'passedOver', name, message: error.message };
  } finally {
    input.stream.destroy();
  }
}

/** Each file inside the zip archive at `path`. */
async function* parseArchive(path: string, displayName: string, options: ParseFileOptions): AsyncGenerator<FileParseEvent> {
  for await (const entry of zipEntries(path)) {
    yield* parseEntry(await openStream(await entry.open()), `${displayName}!${entry.name}`, options, true);
  }
}

/** Each file inside the tar archive being read from `input` (gunzipped already if it was). */
async function* parseTar(input: OpenedInput, displayName: string, options: ParseFileOptions): AsyncGenerator<FileParseEvent> {
  for await (const entry of tarEntries(input.stream, displayName)) {
    const opened = await openStream(entry.stream);
    yield* parseEntry(opened, `${displayName}!${entry.name}`, options, input.compressed || opened.compressed);
  }
}

/** Parses the input at `path` ('-' for stdin; a zip or tar archive file by file); `displayName` is what messages call it. */
export async function* parseFile(path: string, displayName: string, options: ParseFileOptions): AsyncGenerator<FileParseEvent> {
  const input = await openInput(path);
  try {
    if (isZip(input.head) && !input.compressed) {
      if (path === '-') throw new InvalidInput('ingest: <stdin> is a zip archive, which needs random access: pass its path instead');
      input.stream.destroy();
      yield* parseArchive(path, displayName, options);
      return;
    }
    if (isTar(input.head)) {
      yield* parseTar(input, displayName, options);
      return;
    }
    yield* parseOpened(input, displayName, options, input.compressed);
  } finally {
    if (path !== '-') input.stream.destroy();
  }
}
