// Reads one input end to end on the parsing side: open (gunzip), detect the format, parse into chunks.
// Runs in a worker thread or inline; it touches no store.
import { basename } from 'node:path';
import { UnknownFormat, type TableName } from '../domain';
import { defaultFraming, detectFormat, FORMAT_NAMES, learnCollectorOffset, tableFromFileName, type DetectedFormat, type FormatName } from '../parsers';
import { openInput } from './open-input';
import { parseInput } from './parse-input';
import type { ParsedChunk } from './parsed-chunk';

export interface ParseFileOptions {
  /** 'auto' detects per file; a name forces that parser. */
  format: FormatName | 'auto';
  /** Forces the table of every row (--table). */
  table: TableName | null;
  batchSize?: number;
}

export type FileParseEvent =
  | { type: 'start'; format: FormatName; compressed: boolean }
  | { type: 'chunk'; chunk: ParsedChunk };

/** The collector's local-time offset, learned from the records in the first bytes of a Windows event log. */
function collectorOffset(head: Buffer): number | null {
  const records: Array<Record<string, unknown>> = [];
  for (const line of head.toString('utf8').split('\n').slice(0, -1)) {
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object') records.push(value as Record<string, unknown>);
    } catch {
      // a malformed line is reported by the parser itself
    }
  }
  return learnCollectorOffset(records);
}

/** Parses the input at `path` ('-' for stdin); `displayName` is what messages call it. */
export async function* parseFile(path: string, displayName: string, options: ParseFileOptions): AsyncGenerator<FileParseEvent> {
  const input = await openInput(path);
  try {
    let detected: DetectedFormat | null;
    if (options.format === 'auto') {
      detected = detectFormat(input.head.toString('utf8'));
      if (!detected) throw new UnknownFormat(displayName, FORMAT_NAMES);
    } else {
      detected = { format: options.format, framing: defaultFraming(options.format) };
      if (options.format === 'mde-stream' || options.format === 'mde-ndjson') {
        // A named JSON format may still come as a pretty-printed document rather than lines.
        const sniffed = detectFormat(input.head.toString('utf8'));
        if (sniffed?.framing === 'document') detected = { format: options.format, framing: 'document' };
      }
    }
    yield { type: 'start', format: detected.format, compressed: input.compressed };
    const ctx = {
      file: displayName, forcedTable: options.table, fileTable: tableFromFileName(basename(displayName)),
      localOffsetMinutes: detected.format === 'windows-events' ? collectorOffset(input.head) : null,
    };
    for await (const chunk of parseInput(input.stream, input.head, detected, ctx, options.batchSize)) {
      yield { type: 'chunk', chunk };
    }
  } finally {
    if (path !== '-') input.stream.destroy();
  }
}
