// A stretch of parsed input as it travels from the parsing side (maybe a worker thread) to the store writer.
import { toEventRow, type EventRow, type IngestBatch, type NormalizedEvent, type ParseIssue, type ParseOutcome,
  type ParseWarning } from '../domain';

export interface ParsedChunk {
  events: NormalizedEvent[];
  /** Source line (or record number, for JSON documents) of each event. */
  lines: number[];
  issues: ParseIssue[];
  /** Each event's columns, packed (see packEvent). */
  columns: Uint8Array;
  columnEnds: number[];
  /** Rows of tables Lineage does not store, by table name. */
  skipped: Record<string, number>;
  warnings: ParseWarning[];
  /** For line-framed input: the source lines read through the end of this chunk, blank ones included. */
  linesRead: number;
  /**
   * Bytes of the source as stored (compressed ones for gzip) read by the time this chunk was complete, from where
   * the parse began (the file's start, or its range's); 0 where unknown (stdin, zip entries). For progress only.
   */
  bytesRead: number;
}

export function emptyChunk(): ParsedChunk {
  return { events: [], lines: [], issues: [], skipped: countsByName(), warnings: [], linesRead: 0, bytesRead: 0, columns: new Uint8Array(0),
    columnEnds: [] };
}

/**
 * An empty map of counts keyed by names the input chose (the tables and event kinds skipped): without a prototype,
 * so a name such as `__proto__` is counted like any other instead of being lost on assignment.
 */
export function countsByName(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

/** The columns of a chunk's events so far, written as each event is added (see addOutcomes). */
interface Packer {
  buffer: Buffer;
  used: number;
  ends: number[];
}

const packers = new WeakMap<ParsedChunk, Packer>();

/** The size the last chunk of this thread packed to, plus an eighth: most chunks then never grow their buffer. */
let sizeHint = 1 << 20;

/**
 * Writes the event's columnsText to the chunk's packed buffer at once and clears the string: held until the chunk
 * was complete, the strings (most of a row's bytes) outlived a young-generation collection or two and were copied
 * and promoted to the old generation for nothing.
 */
function packEvent(chunk: ParsedChunk, event: NormalizedEvent): void {
  let packer = packers.get(chunk);
  if (!packer) {
    packer = { buffer: Buffer.allocUnsafeSlow(sizeHint), used: 0, ends: [] };
    packers.set(chunk, packer);
  }
  const text = event.columnsText;
  const room = packer.buffer.length - packer.used;
  // The UTF-8 length is measured only near the end of the buffer (the worst case is 3 bytes a character).
  if (room < text.length * 3 && room < Buffer.byteLength(text, 'utf8')) {
    const grown = Buffer.allocUnsafeSlow(Math.max(packer.buffer.length * 2, packer.used + text.length * 3));
    packer.buffer.copy(grown, 0, 0, packer.used);
    packer.buffer = grown;
  }
  packer.used += packer.buffer.write(text, packer.used, 'utf8');
  packer.ends.push(packer.used);
  event.columnsText = '';
}

/**
 * Completes a chunk: its events' columns become one UTF-8 buffer of its own, transferable to another thread without
 * a copy (event i's are the bytes from columnEnds[i-1] to columnEnds[i]). Call once, when the chunk is complete.
 */
export function packColumns(chunk: ParsedChunk): ParsedChunk {
  const packer = packers.get(chunk);
  if (!packer) return chunk;
  packers.delete(chunk);
  chunk.columns = packer.buffer.subarray(0, packer.used);
  chunk.columnEnds = packer.ends;
  sizeHint = packer.used + (packer.used >> 3) + 4096;
  return chunk;
}

/**
 * The bytes a chunk may hold (its packed columns and the raw text of its rejects) before it is handed on, whatever
 * its event count: 2,000 rows of a few KB are a few MB, but rows of hostile or odd input can be megabytes each, and
 * memory must not grow with them.
 */
export const MAX_CHUNK_BYTES = 32 * 1024 * 1024;

/** The raw text a chunk's rejects hold, counted as each is added (addIssue): chunkIsFull runs once per record. */
const rejectedBytes = new WeakMap<ParsedChunk, number>();

/** Adds a reject to `chunk`. Every reject goes through here, so that the chunk's size is known without a pass. */
export function addIssue(chunk: ParsedChunk, issue: ParseIssue): void {
  chunk.issues.push(issue);
  rejectedBytes.set(chunk, (rejectedBytes.get(chunk) ?? 0) + issue.raw.length);
}

/** Whether `chunk` should be handed on: `batchSize` events or rejects, or MAX_CHUNK_BYTES of content. */
export function chunkIsFull(chunk: ParsedChunk, batchSize: number): boolean {
  if (chunk.events.length >= batchSize || chunk.issues.length >= batchSize) return true;
  return (packers.get(chunk)?.used ?? 0) + (rejectedBytes.get(chunk) ?? 0) >= MAX_CHUNK_BYTES;
}

/** Adds the outcomes of one raw record at `line` to `chunk`. */
export function addOutcomes(chunk: ParsedChunk, outcomes: readonly ParseOutcome[], line: number): void {
  for (const outcome of outcomes) {
    if ('ok' in outcome) {
      chunk.events.push(outcome.ok);
      packEvent(chunk, outcome.ok);
      chunk.lines.push(line);
      if (outcome.warning) chunk.warnings.push(outcome.warning);
    } else if ('issue' in outcome) {
      addIssue(chunk, outcome.issue);
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
export function shiftLines(chunk: ParsedChunk | RowChunk, offset: number): void {
  if (offset === 0) return;
  const { lines } = chunk;
  for (let i = 0; i < lines.length; i++) lines[i] = (lines[i] as number) + offset;
  for (const issue of chunk.issues) issue.line += offset;
  for (const warning of chunk.warnings) warning.line += offset;
}

/** A chunk with its events as rows: how a parse worker posts it (event-row.ts says why). */
export type RowChunk = Omit<ParsedChunk, 'events'> & { rows: EventRow[] };

/** `chunk` with its events as rows (the chunk itself is left as it was). */
export function toRowChunk(chunk: ParsedChunk): RowChunk {
  const { events, ...rest } = chunk;
  return Object.assign(rest, { rows: events.map(toEventRow) });
}

/** What the store writer takes from a chunk of either form. */
export function ingestBatch(chunk: ParsedChunk | RowChunk): IngestBatch {
  return {
    rows: 'rows' in chunk ? chunk.rows : chunk.events.map(toEventRow),
    lines: chunk.lines, issues: chunk.issues, columns: chunk.columns, columnEnds: chunk.columnEnds,
  };
}
