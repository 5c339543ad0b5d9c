// Reads one input end to end on the parsing side: open (gunzip, or a zip archive entry by entry), detect the format,
// parse into chunks.
// Runs in a worker thread or inline; it touches no store.
import { basename } from 'node:path';
import { FORMAT_NAMES, InvalidInput, UnknownFormat, type FormatName, type TableName } from '../domain';
import { CollectorClock, defaultFraming, detectFormat, tableFromFileName, type DetectedFormat } from '../parsers';
import { openInput, openStream, type OpenedInput } from './open-input';
import { parseInput } from './parse-input';
import type { ParsedChunk } from './parsed-chunk';
import { isZip, zipEntries } from './zip-entries';

export interface ParseFileOptions {
  /** 'auto' detects per file; a name forces that parser. */
  format: FormatName | 'auto';
  /** Forces the table of every row (--table). */
  table: TableName | null;
  batchSize?: number;
}

export type FileParseEvent =
  /** A source starts: the file itself, or one entry of a zip archive (`archive.zip!entry.json`). */
  | { type: 'start'; name: string; format: FormatName; compressed: boolean }
  | { type: 'chunk'; chunk: ParsedChunk }
  /** An entry of an archive that no parser recognises. */
  | { type: 'passedOver'; name: string; message: string };

/** Parses one opened input (a file, stdin, or a zip entry) that messages call `name`. */
async function* parseOpened(input: OpenedInput, name: string, options: ParseFileOptions,
  compressed: boolean): AsyncGenerator<FileParseEvent> {
  let detected: DetectedFormat | null;
  if (options.format === 'auto') {
    detected = detectFormat(input.head.toString('utf8'));
    if (!detected) throw new UnknownFormat(name, FORMAT_NAMES);
  } else {
    detected = { format: options.format, framing: defaultFraming(options.format) };
    if (options.format === 'mde-stream' || options.format === 'mde-ndjson') {
      // A named JSON format may still come as a pretty-printed document rather than lines.
      const sniffed = detectFormat(input.head.toString('utf8'));
      if (sniffed?.framing === 'document') detected = { format: options.format, framing: 'document' };
    }
  }
  yield { type: 'start', name, format: detected.format, compressed };
  const ctx = {
    file: name, forcedTable: options.table, fileTable: tableFromFileName(basename(name)),
    clock: detected.format === 'windows-events' ? new CollectorClock() : undefined,
  };
  for await (const chunk of parseInput(input.stream, input.head, detected, ctx, options.batchSize)) {
    yield { type: 'chunk', chunk };
  }
}

/** Each file inside the zip archive at `path`, parsed as its own source named `archive.zip!entry`. */
async function* parseArchive(path: string, displayName: string, options: ParseFileOptions): AsyncGenerator<FileParseEvent> {
  for await (const entry of zipEntries(path)) {
    const name = `${displayName}!${entry.name}`;
    const input = await openStream(await entry.open());
    try {
      yield* parseOpened(input, name, options, true);
    } catch (error) {
      // A README or an image beside the logs in an archive is passed over, like a stray file in a folder.
      if (!(error instanceof UnknownFormat)) throw error;
      yield { type: 'passedOver', name, message: error.message };
    } finally {
      input.stream.destroy();
    }
  }
}

/** Parses the input at `path` ('-' for stdin; a zip archive file by file); `displayName` is what messages call it. */
export async function* parseFile(path: string, displayName: string, options: ParseFileOptions): AsyncGenerator<FileParseEvent> {
  const input = await openInput(path);
  try {
    if (isZip(input.head) && !input.compressed) {
      if (path === '-') throw new InvalidInput('ingest: <stdin> is a zip archive, which needs random access: pass its path instead');
      input.stream.destroy();
      yield* parseArchive(path, displayName, options);
      return;
    }
    yield* parseOpened(input, displayName, options, input.compressed);
  } finally {
    if (path !== '-') input.stream.destroy();
  }
}
