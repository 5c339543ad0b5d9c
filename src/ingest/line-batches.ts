// Splits a byte stream into lines, decoding each line from the Buffer on its own (decoding whole chunks and
// splitting strings is about twice as slow for wide rows). Yields lines a chunk at a time, with 1-based numbers;
// blank lines are counted but not yielded, a leading BOM is dropped. A line keeps its trailing CR, if any: JSON
// ignores it as whitespace, and a CSV cell that spans lines must keep its CRLF.
import type { Readable } from 'node:stream';

export interface LineBatch {
  texts: string[];
  lines: number[];
}

const LF = 10;
const CR = 13;

/** Lines of `stream`, in batches. */
export async function* lineBatches(stream: Readable): AsyncGenerator<LineBatch> {
  let pending: Buffer[] = [];
  let lineNumber = 0;
  let first = true;
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
    if (pending.length > 0 && chunk.indexOf(LF) < 0) {
      pending.push(chunk);
      continue;
    }
    const buf: Buffer = pending.length > 0 ? Buffer.concat([...pending, chunk]) : chunk;
    const batch: LineBatch = { texts: [], lines: [] };
    let start = 0;
    let newline = buf.indexOf(LF, start);
    while (newline >= 0) {
      emit(buf, start, newline, batch);
      start = newline + 1;
      newline = buf.indexOf(LF, start);
    }
    pending = start < buf.length ? [buf.subarray(start)] : [];
    if (batch.texts.length > 0) yield batch;
  }
  if (pending.length > 0) {
    const rest = Buffer.concat(pending);
    const batch: LineBatch = { texts: [], lines: [] };
    emit(rest, 0, rest.length, batch);
    if (batch.texts.length > 0) yield batch;
  }
}
