// Splits a large plain file of records into byte ranges that each start at a record's start, so that several parse
// workers read one file at once (the writer still writes the ranges in file order). Records must be findable from
// any byte: lines (a newline ends each), and Windows events as XML (`</Event>` ends each, and XML text cannot
// contain it); a binary .evtx is split at its 64 KB chunks, which share nothing. The parser must keep no state from
// one record to the next: not CSV (a header, quoted cells across lines), not JSON documents, not Windows event lines
// (a collector's clock is learned across the file), not gzip, zip or UTF-16.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CHUNK_BYTES, EVTX_HEADER_BYTES } from '../parsers';
import { isGzip, utf16Encoding } from './open-input';
import { resolveFormat, type FileRange, type ParseFileOptions } from './parse-file';
import { isTar } from './tar-entries';
import { isZip } from './zip-entries';

/** About how many bytes each range holds: big enough that a range costs nothing to start, small enough to balance. */
export const RANGE_BYTES = 16 * 1024 * 1024;

const WINDOW = 64 * 1024;

const NEWLINE = Buffer.from('\n');
const EVENT_END = Buffer.from('</Event>');

/**
 * The first record start at or after `at`: just past the first `end` (a newline, an `</Event>`) that ends at or after
 * it, so `at` itself when one ends right before it. `size` when none does.
 */
function recordStartFrom(fd: number, at: number, size: number, window: Buffer, end: Buffer): number {
  // Windows overlap by the end's length less one, so an end cut by a window's edge is found whole in the next.
  for (let position = Math.max(0, at - end.length); position < size; position += window.length - end.length + 1) {
    const read = readSync(fd, window, 0, window.length, position);
    if (read === 0) break;
    const found = window.subarray(0, read).indexOf(end);
    if (found >= 0) return position + found + end.length;
  }
  return size;
}

/** The file header, then chunks: ranges of whole chunks, about `rangeBytes` each. */
function evtxRanges(size: number, rangeBytes: number, detected: FileRange['detected']): FileRange[] | null {
  const chunksPerRange = Math.max(1, Math.round(rangeBytes / CHUNK_BYTES));
  const starts = [0];
  for (let at = EVTX_HEADER_BYTES + chunksPerRange * CHUNK_BYTES; at < size; at += chunksPerRange * CHUNK_BYTES) starts.push(at);
  if (starts.length < 2) return null;
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? null, detected }));
}

/**
 * The ranges to read the file at `path` in, or null when it is not one to split (small, compressed, an archive, of a
 * format read as a whole, unreadable: the whole-file path reads it, or reports why it cannot). The last range is
 * open-ended (`end` null), so that lines appended while the run reads are read as a whole-file read would.
 */
export function planRanges(path: string, options: ParseFileOptions, rangeBytes = RANGE_BYTES): FileRange[] | null {
  if (path === '-') return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    const { size } = stat;
    if (!stat.isFile() || size < 2 * rangeBytes) return null;
    const window = Buffer.allocUnsafe(WINDOW);
    const head = window.subarray(0, readSync(fd, window, 0, WINDOW, 0));
    if (isGzip(head) || isZip(head) || isTar(head) || utf16Encoding(head)) return null;
    const detected = resolveFormat(head, options);
    if (detected?.framing === 'evtx') return evtxRanges(size, rangeBytes, detected);
    const end = !detected ? null : detected.framing === 'xml' ? EVENT_END
      : detected.framing === 'lines' && detected.format !== 'windows-events' ? NEWLINE : null;
    if (!detected || !end) return null;
    const starts = [0];
    for (let cut = rangeBytes; cut < size; cut += rangeBytes) {
      if (cut <= (starts[starts.length - 1] as number)) continue; // a record longer than a range
      const start = recordStartFrom(fd, cut, size, window, end);
      if (start >= size) break;
      starts.push(start);
    }
    if (starts.length < 2) return null;
    return starts.map((start, i) => ({ start, end: starts[i + 1] ?? null, detected }));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
