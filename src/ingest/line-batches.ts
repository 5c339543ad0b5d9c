// Splits a byte stream into lines, decoding each line from the Buffer on its own (decoding whole chunks and
// splitting strings is about twice as slow for wide rows). Yields lines a chunk at a time, with 1-based numbers;
// blank lines are counted but not yielded, a leading BOM is dropped. A line keeps its trailing CR, if any: JSON
// ignores it as whitespace, and a CSV cell that spans lines must keep its CRLF.
import type { Readable } from 'node:stream';
import { decodeText } from './decode-text';
import { HeldRecord } from './held-record';

/** A line over the length limit: not decoded or parsed, reported with its first bytes. */
export interface OverlongLine {
  line: number;
  bytes: number;
  /** Its first OVERLONG_HEAD_BYTES bytes, decoded. */
  head: string;
}

export interface LineBatch {
  texts: string[];
  lines: number[];
  /** Lines read so far, blank ones included. */
  through: number;
  /** Lines over the limit that ended in this batch, in line order. */
  overlong: OverlongLine[];
  /** Lines whose bytes were not all UTF-8, read in part as Windows-1252 (decode-text.ts). */
  recoded: number[];
}

/** A batch with nothing in it yet (of lines, or of the items of a document: see ItemBatch). */
export const emptyBatch = (): LineBatch => ({ texts: [], lines: [], through: 0, overlong: [], recoded: [] });

const LF = 10;
const CR = 13;

/**
 * The longest line decoded and parsed: far beyond any real row (MDE rows are a few KB, Windows events rarely over
 * 100 KB), small enough that a corrupt file (a stretch of NUL bytes with no newline, a truncated blob) cannot make
 * the reader hold gigabytes. A longer line is skipped as it streams and reported, with its first bytes kept.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
export const OVERLONG_HEAD_BYTES = 1024;

/** Splits a long line into texts of its parts (each yielded as a text of that line), or returns null to keep it whole. */
export type LongLineSplit = (bytes: Buffer, recoded: number[], line: number) => string[] | null;

/**
 * Lines of `stream`, in batches. `atFileStart`: a BOM on the first line is the file's, and dropped. Lines over
 * `maxLineBytes` are not yielded as text but as `overlong`, and never held whole. Lines over `longLine.bytes` are
 * offered to `longLine.split` before they are decoded.
 */
export async function* lineBatches(stream: Readable, atFileStart = true, maxLineBytes = MAX_LINE_BYTES,
  longLine?: { bytes: number; split: LongLineSplit }): AsyncGenerator<LineBatch> {
  /** The line whose end is not read yet: its parts, or past the limit only its first bytes and length. */
  const held = new HeldRecord(maxLineBytes);
  let lineNumber = 0;
  let first = atFileStart;
  const overlong = (batch: LineBatch, head: string, bytes: number): void => {
    lineNumber++;
    first = false;
    batch.overlong.push({ line: lineNumber, bytes, head });
  };
  const emit = (buf: Buffer, start: number, end: number, batch: LineBatch): void => {
    if (end - start > maxLineBytes) {
      overlong(batch, buf.toString('utf8', start, start + OVERLONG_HEAD_BYTES), end - start);
      return;
    }
    lineNumber++;
    if (first) {
      first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    // Skip lines of only whitespace without decoding them.
    let i = start;
    while (i < end && (buf[i] === 32 || buf[i] === 9 || buf[i] === CR)) i++;
    if (i === end) return;
    if (longLine && end - start > longLine.bytes) {
      const parts = longLine.split(buf.subarray(start, end), batch.recoded, lineNumber);
      if (parts) {
        for (const part of parts) {
          batch.texts.push(part);
          batch.lines.push(lineNumber);
        }
        return;
      }
    }
    batch.texts.push(decodeText(buf, start, end, batch.recoded, lineNumber));
    batch.lines.push(lineNumber);
  };
  /** Ends the held line with `end`, its last bytes: joined once, only it copied, not the chunk after it. */
  const endHeld = (end: Buffer, batch: LineBatch): void => {
    const line = held.finish(end, lineNumber + 1);
    if ('overlong' in line) overlong(batch, line.overlong.head, line.overlong.bytes);
    else emit(line.bytes, 0, line.bytes.length, batch);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // A line longer than a chunk collects its parts and is joined once, never re-copied per chunk.
    let newline = chunk.indexOf(LF);
    if (newline < 0 && held.holding) {
      held.hold(chunk);
      continue;
    }
    const batch = emptyBatch();
    let start = 0;
    if (held.holding) {
      endHeld(chunk.subarray(0, newline), batch);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    while (newline >= 0) {
      emit(chunk, start, newline, batch);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) held.hold(chunk.subarray(start));
    batch.through = lineNumber;
    yield batch; // even with no text: `through` counts the blank lines
  }
  if (held.holding) {
    const batch = emptyBatch();
    endHeld(Buffer.alloc(0), batch);
    batch.through = lineNumber;
    yield batch; // even with no text: `through` counts the blank lines
  }
}
