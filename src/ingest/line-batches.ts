// Splits a byte stream into lines, decoding each line from the Buffer on its own (decoding whole chunks and
// splitting strings is about twice as slow for wide rows). Yields lines a chunk at a time, with 1-based numbers;
// blank lines are counted but not yielded, a leading BOM is dropped. A line keeps its trailing CR, if any: JSON
// ignores it as whitespace, and a CSV cell that spans lines must keep its CRLF.
import type { Readable } from 'node:stream';

export interface LineBatch {
  texts: string[];
  lines: number[];
  /** Lines read so far, blank ones included. */
  through: number;
}

const LF = 10;
const CR = 13;

/** Lines of `stream`, in batches. `atFileStart`: a BOM on the first line is the file's, and dropped. */
export async function* lineBatches(stream: Readable, atFileStart = true): AsyncGenerator<LineBatch> {
  let pending: Buffer[] = [];
  let lineNumber = 0;
  let first = atFileStart;
  const emit = (buf: Buffer, start: number, end: number, batch: LineBatch): void => {
    lineNumber++;
    if (first) {
      first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    // Skip lines of only whitespace without decoding them.
    let i = start;
    while (i < end && (buf[i] === 32 || buf[i] === 9 || buf[i] === CR)) i++;
    if (i === end) return;
    batch.texts.push(buf.toString('utf8', start, end));
    batch.lines.push(lineNumber);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // A line longer than a chunk collects its parts and is joined once, never re-copied per chunk.
    let newline = chunk.indexOf(LF);
    if (pending.length > 0 && newline < 0) {
      pending.push(chunk);
      continue;
    }
    const batch: LineBatch = { texts: [], lines: [], through: 0 };
    let start = 0;
    if (pending.length > 0) {
      // Only the line that straddles the chunk boundary is copied, not the whole chunk after it.
      pending.push(chunk.subarray(0, newline));
      const straddling = Buffer.concat(pending);
      emit(straddling, 0, straddling.length, batch);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    while (newline >= 0) {
      emit(chunk, start, newline, batch);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    pending = start < chunk.length ? [chunk.subarray(start)] : [];
    batch.through = lineNumber;
    yield batch; // even with no text: `through` counts the blank lines
  }
  if (pending.length > 0) {
    const rest = Buffer.concat(pending);
    const batch: LineBatch = { texts: [], lines: [], through: 0 };
    emit(rest, 0, rest.length, batch);
    batch.through = lineNumber;
    yield batch; // even with no text: `through` counts the blank lines
  }
}
