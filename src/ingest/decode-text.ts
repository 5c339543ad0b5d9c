// Text from bytes that should be UTF-8 but may not be. An export opened in Excel and saved as "CSV", or written by a
// tool in the ANSI code page, holds Windows-1252 bytes: decoded as UTF-8 each such byte would become U+FFFD and the
// character would be lost for good ("Microsoft® Windows®" in every process row, "C:\Users\José" in a path). Such
// bytes are read as Windows-1252 instead, and the valid UTF-8 around them as UTF-8, so no byte is lost: a file
// that mixes both keeps both. The caller warns, as the code page is a guess.
import { isUtf8 } from 'node:buffer';

const REPLACEMENT = '\uFFFD';

/**
 * Windows-1252 as the WHATWG Encoding Standard maps it: every byte has a character (0x81 -> U+0081, ...). Spelled
 * out, because Node 20's TextDecoder('windows-1252') decodes 0x80-0x9F as ISO-8859-1 does (0x80 -> U+0080, not €).
 */
const HIGH_CONTROLS = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const WINDOWS_1252 = Uint16Array.from({ length: 256 }, (_, byte) => (byte >= 0x80 && byte < 0xa0 ? HIGH_CONTROLS[byte - 0x80] as number : byte));
/** Code units turned into a string this many at a time (an argument list of any length is not allowed). */
const UNITS_PER_PART = 8192;

const isContinuation = (byte: number | undefined): boolean => byte !== undefined && (byte & 0xc0) === 0x80;

/** The length of the well-formed UTF-8 sequence at `bytes[i]` (RFC 3629: no overlongs, surrogates or values past U+10FFFF), or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] as number;
  if (b0 < 0x80) return 1;
  const b1 = bytes[i + 1];
  if (b0 >= 0xc2 && b0 <= 0xdf) return isContinuation(b1) ? 2 : 0;
  if (b1 === undefined) return 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const low = b0 === 0xe0 ? 0xa0 : 0x80;
    const high = b0 === 0xed ? 0x9f : 0xbf;
    return b1 >= low && b1 <= high && isContinuation(bytes[i + 2]) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const low = b0 === 0xf0 ? 0x90 : 0x80;
    const high = b0 === 0xf4 ? 0x8f : 0xbf;
    return b1 >= low && b1 <= high && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3]) ? 4 : 0;
  }
  return 0;
}

/**
 * `bytes` with each byte outside a well-formed UTF-8 sequence read as Windows-1252. Written as UTF-16 code units into
 * one array (never more units than bytes) and made a string 8,192 units at a time: a line of many stray bytes makes
 * a few strings, not one per byte.
 */
export function decodeUtf8OrWindows1252(bytes: Buffer): string {
  const units = new Uint16Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length;) {
    const b0 = bytes[i] as number;
    const length = sequenceLength(bytes, i);
    if (length === 1) units[n++] = b0;
    else if (length === 0) units[n++] = WINDOWS_1252[b0] as number;
    else if (length === 2) units[n++] = ((b0 & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f);
    else if (length === 3) units[n++] = ((b0 & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f);
    else {
      const point = ((b0 & 0x07) << 18) | (((bytes[i + 1] as number) & 0x3f) << 12) | (((bytes[i + 2] as number) & 0x3f) << 6)
        | ((bytes[i + 3] as number) & 0x3f);
      units[n++] = 0xd800 + ((point - 0x10000) >> 10);
      units[n++] = 0xdc00 + ((point - 0x10000) & 0x3ff);
    }
    i += length === 0 ? 1 : length;
  }
  let text = '';
  for (let at = 0; at < n; at += UNITS_PER_PART) {
    text += String.fromCharCode.apply(null, units.subarray(at, Math.min(n, at + UNITS_PER_PART)) as unknown as number[]);
  }
  return text;
}

/**
 * `buf[start, end)` as text. UTF-8 when it is (the cost on ASCII and Latin-1 text is nil: V8 answers the search for
 * U+FFFD in a one-byte string without reading it); else with the bytes that are not UTF-8 read as Windows-1252, and
 * `line` noted in `recoded`.
 */
export function decodeText(buf: Buffer, start: number, end: number, recoded: number[], line: number): string {
  const text = buf.toString('utf8', start, end);
  if (text.indexOf(REPLACEMENT) < 0) return text;
  const bytes = buf.subarray(start, end);
  if (isUtf8(bytes)) return text; // a real U+FFFD in the source
  recoded.push(line);
  return decodeUtf8OrWindows1252(bytes);
}

/** The warning for a record whose bytes were not all UTF-8. */
export const RECODED_WARNING = 'not UTF-8: the bytes that are not were read as Windows-1252 (a file saved in the ANSI code page, '
  + 'as Excel saves "CSV"?); check names and command lines with other characters';
