// A stretch of parsed input as it travels from the parsing side (maybe a worker thread) to the store writer.
import type { IngestBatch, NormalizedEvent, ParseIssue, ParseOutcome, ParseWarning } from '../domain';

export interface ParsedChunk extends IngestBatch {
  events: NormalizedEvent[];
  /** Source line (or record number, for JSON documents) of each event. */
  lines: number[];
  issues: ParseIssue[];
  /** Rows of tables Lineage does not store, by table name. */
  skipped: Record<string, number>;
  warnings: ParseWarning[];
  /** For line-framed input: the source lines read through the end of this chunk, blank ones included. */
  linesRead: number;
}

export function emptyChunk(): ParsedChunk {
  return { events: [], lines: [], issues: [], skipped: {}, warnings: [], linesRead: 0, columns: new Uint8Array(0), columnEnds: [] };
}

/**
 * Moves every event's columnsJson into one UTF-8 buffer of its own (transferable to another thread without a copy)
 * and clears the strings, so they are neither cloned nor kept twice. Call once, when the chunk is complete.
 */
export function packColumns(chunk: ParsedChunk): ParsedChunk {
  let estimate = 0;
  for (const event of chunk.events) estimate += event.columnsJson.length;
  // UTF-16 lengths plus an eighth: room for the odd non-ASCII character (MDE's 'Microsoft® Windows®' is in most
  // rows). Growing copies everything written so far; pages never touched cost nothing.
  let buffer = Buffer.allocUnsafeSlow(estimate + (estimate >> 3) + 4096);
  let used = 0;
  const ends = new Array<number>(chunk.events.length);
  for (let i = 0; i < chunk.events.length; i++) {
    const event = chunk.events[i] as NormalizedEvent;
    const text = event.columnsJson;
    // The UTF-8 length is measured only near the end of the buffer (the worst case is 3 bytes a character).
    const room = buffer.length - used;
    if (room < text.length * 3 && room < Buffer.byteLength(text, 'utf8')) {
      const grown = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, used + text.length * 3));
      buffer.copy(grown, 0, 0, used);
      buffer = grown;
    }
    used += buffer.write(text, used, 'utf8');
    ends[i] = used;
    event.columnsJson = '';
  }
  chunk.columns = buffer.subarray(0, used);
  chunk.columnEnds = ends;
  return chunk;
}

/** Adds the outcomes of one raw record at `line` to `chunk`. */
export function addOutcomes(chunk: ParsedChunk, outcomes: readonly ParseOutcome[], line: number): void {
  for (const outcome of outcomes) {
    if ('ok' in outcome) {
      chunk.events.push(outcome.ok);
      chunk.lines.push(line);
      if (outcome.warning) chunk.warnings.push(outcome.warning);
    } else if ('issue' in outcome) {
      chunk.issues.push(outcome.issue);
    } else if ('skipped' in outcome) {
      chunk.skipped[outcome.skipped] = (chunk.skipped[outcome.skipped] ?? 0) + 1;
    }
    // A deferred record adds nothing here: the framing layer holds it and passes it again.
  }
}

/**
 * Moves the line numbers of `chunk` (read from a byte range of a file, so numbered from the range's first line) by
 * `offset`, the lines of the file before the range.
 */
export function shiftLines(chunk: ParsedChunk, offset: number): void {
  if (offset === 0) return;
  const { lines } = chunk;
  for (let i = 0; i < lines.length; i++) lines[i] = (lines[i] as number) + offset;
  for (const issue of chunk.issues) issue.line += offset;
  for (const warning of chunk.warnings) warning.line += offset;
}

/** Whether a chunk holds anything worth sending on. */
export function chunkSize(chunk: ParsedChunk): number {
  return chunk.events.length + chunk.issues.length + Object.keys(chunk.skipped).length + chunk.warnings.length;
}
