// Reads the event records of one 64 KB chunk of a binary Windows event log (.evtx) and renders each as the XML
// Event Viewer shows (then read by windows-xml like a wevtutil export). A record is binary XML: element names are
// kept once per chunk and referred to by offset, and most records instantiate a template defined earlier in the
// chunk, with typed substitution values. Format: libyal's "Windows XML Event Log (EVTX)" and [MS-EVEN6] BinXml.
// Everything here is bounds-checked or fails the one record: a corrupt record is a reject, not the end of the chunk.
// Over 150 lines: the binary XML tokens, the value types and the chunk walk belong to one reading and are kept whole.
import { formatTicks } from '../domain';
import { sourceOfChannel, unreadRecordSkip } from './windows-record';

export const CHUNK_BYTES = 0x10000;
/** The file header's size: the first chunk starts here. */
export const EVTX_HEADER_BYTES = 4096;
const CHUNK_MAGIC = 'ElfChnk\0';
const RECORD_MAGIC = 0x00002a2a;
/** Records start after the chunk header and its string and template tables. */
const FIRST_RECORD = 512;
/** 100-ns intervals from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
const FILETIME_UNIX_OFFSET = 116_444_736_000_000_000n;
/** An XML name. Names come from the file like everything else: one that is not would put markup in the XML. */
const XML_NAME = /^[\p{L}_:][\p{L}\p{N}_.:-]*$/u;
/** Deeper nesting than any event schema has: a hostile record cannot exhaust the stack. */
const MAX_DEPTH = 64;
/**
 * Tokens one record may expand to. Templates can instantiate templates: 64 small ones in a chunk, each using the
 * next twice, would expand a record 2^64-fold. Real records are a few hundred tokens.
 */
const MAX_TOKENS = 100_000;

/** An event id as rendered: digits, maybe with spaces around them (as windows-xml reads it). */
const EVENT_ID_TEXT = /^\s*\d+\s*$/;

/**
 * What the readers of one record share: the tokens it may still expand to, and the System fields rendered so far
 * (the first of each), so that the data of a record Lineage never reads can be passed over.
 */
interface RecordState {
  left: number;
  skipUnreadData: boolean;
  provider: string | null;
  channel: string | null;
  eventId: string | null;
}

/**
 * Whether the System fields seen say the record is one Lineage never reads (a logon, a registry event): decided as
 * windows-xml decides it, and only when every field was plain text (no character reference to resolve first).
 */
function isUnread({ provider, channel, eventId }: RecordState): boolean {
  if (eventId === null || !EVENT_ID_TEXT.test(eventId)) return false;
  if ((channel ?? '').includes('&') || (provider ?? '').includes('&')) return false;
  const source = sourceOfChannel(channel || provider || '');
  return unreadRecordSkip({ source, channel: channel ?? '', eventId: Number(eventId) }) !== null;
}

/** One record of a chunk: its XML, or why it could not be read. */
export type EvtxRecord = { recordId: string; xml: string } | { recordId: string; error: string };

/** A substitution value of a template instance: its type and where its bytes are. */
interface Substitution {
  type: number;
  start: number;
  size: number;
}

class Reader {
  /**
   * `work`: what every reader of the record shares (RecordState). `names`: the chunk's
   * names read so far, by offset: every record of a chunk uses the same few dozen, and decoding and checking each
   * again made rendering a record 36-38 µs instead of 29-30 (Security 4663 records, three interleaved pairs).
   */
  constructor(readonly chunk: Buffer, public pos: number, readonly depth: number, readonly work: RecordState,
    readonly names: Map<number, ChunkName>) {}
  /** A reader of nested content (an element's, a template's, an embedded value's) at `pos`. */
  nested(pos: number): Reader { return new Reader(this.chunk, pos, this.depth + 1, this.work, this.names); }
  u8(): number { return this.chunk.readUInt8(this.pos++); }
  u16(): number { const v = this.chunk.readUInt16LE(this.pos); this.pos += 2; return v; }
  u32(): number { const v = this.chunk.readUInt32LE(this.pos); this.pos += 4; return v; }
}

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) =>
  (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));

function utf16(chunk: Buffer, start: number, bytes: number): string {
  if (start < 0 || start + bytes > chunk.length) throw new RangeError('a string runs past the chunk');
  return chunk.toString('utf16le', start, start + bytes);
}

/** A name of the chunk as first read: the name, or why it is not one, and the bytes it is stored in. */
interface ChunkName {
  name: string | { error: string };
  size: number;
}

/** An element or attribute name, kept once per chunk: [next offset][hash][length][UTF-16][NUL]. Returns its size too. */
function nameAt(r: Reader, offset: number): { name: string; size: number } {
  let known = r.names.get(offset);
  if (!known) {
    const length = r.chunk.readUInt16LE(offset + 6);
    const name = utf16(r.chunk, offset + 8, length * 2);
    const checked = XML_NAME.test(name) ? name : { error: `${JSON.stringify(name.slice(0, 40))} is not an XML name` };
    known = { name: checked, size: 10 + length * 2 };
    r.names.set(offset, known);
  }
  if (typeof known.name !== 'string') throw new RangeError(known.name.error);
  return { name: known.name, size: known.size };
}

/** Reads a name referred to at the reader's position; when it is stored right here (its first use), steps over it. */
function readName(r: Reader): string {
  const offset = r.u32();
  const { name, size } = nameAt(r, offset);
  if (offset === r.pos) r.pos += size;
  return name;
}

const hex = (value: bigint | number, digits: number): `0x${string}` => `0x${value.toString(16).padStart(digits, '0')}`;

function guid(chunk: Buffer, at: number): string {
  const h = (from: number, to: number): string => chunk.toString('hex', at + from, at + to);
  // The first three groups are little-endian numbers, the last two bytes as stored.
  const le = (from: number, bytes: number): string => Buffer.from(chunk.subarray(at + from, at + from + bytes)).reverse()
    .toString('hex');
  return `{${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${h(8, 10)}-${h(10, 16)}}`;
}

function sid(chunk: Buffer, at: number, size: number): string {
  const count = chunk.readUInt8(at + 1);
  if (size < 8 + count * 4) throw new RangeError('a SID shorter than its sub-authorities');
  const authority = chunk.readUIntBE(at + 2, 6);
  const parts = [`S-${chunk.readUInt8(at)}-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(chunk.readUInt32LE(at + 8 + i * 4)));
  return parts.join('-');
}

/** The text of a typed value (XML-escaped), or null for a null value. BinXml values render as markup. */
function valueText(r: Reader, value: Substitution): string | null {
  const { chunk } = r;
  const { type, start: at, size } = value;
  if (at + size > chunk.length) throw new RangeError('a value runs past the chunk');
  if (type === 0x00 || (size === 0 && type !== 0x01 && type !== 0x02)) return null;
  switch (type) {
    case 0x01: return escapeXml(utf16(chunk, at, size & ~1).replace(/\0+$/, ''));
    case 0x02: return escapeXml(chunk.toString('latin1', at, at + size).replace(/\0+$/, ''));
    case 0x03: return String(chunk.readInt8(at));
    case 0x04: return String(chunk.readUInt8(at));
    case 0x05: return String(chunk.readInt16LE(at));
    case 0x06: return String(chunk.readUInt16LE(at));
    case 0x07: return String(chunk.readInt32LE(at));
    case 0x08: return String(chunk.readUInt32LE(at));
    case 0x09: return String(chunk.readBigInt64LE(at));
    case 0x0a: return String(chunk.readBigUInt64LE(at));
    case 0x0b: return String(chunk.readFloatLE(at));
    case 0x0c: return String(chunk.readDoubleLE(at));
    case 0x0d: return chunk.readUInt32LE(at) === 0 ? 'false' : 'true';
    case 0x0f: return guid(chunk, at);
    case 0x10: return size === 8 ? hex(chunk.readBigUInt64LE(at), 16) : hex(chunk.readUInt32LE(at), 8);
    case 0x11: return formatTicks(chunk.readBigUInt64LE(at) - FILETIME_UNIX_OFFSET);
    case 0x12: {
      const [year, month, , day, hour, minute, second, ms] = Array.from({ length: 8 }, (_, i) => chunk.readUInt16LE(at + i * 2));
      const two = (n: number | undefined): string => String(n).padStart(2, '0');
      return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.${String(ms).padStart(3, '0')}Z`;
    }
    case 0x13: return sid(chunk, at, size);
    case 0x14: return hex(chunk.readUInt32LE(at), 8);
    case 0x15: return hex(chunk.readBigUInt64LE(at), 16);
    case 0x21: return renderFragment(r.nested(at), at + size, []);
    case 0x81: return escapeXml(utf16(chunk, at, size & ~1).replace(/\0+$/, '').split('\0').join(', '));
    default: return chunk.toString('hex', at, at + size).toUpperCase(); // binary, and arrays of numbers, as hex
  }
}

/** The text of a Value token: a length-prefixed UTF-16 string (the only kind templates put there). */
function valueToken(r: Reader): string {
  const type = r.u8();
  if (type !== 0x01) throw new RangeError(`a value token of type ${type}`);
  const length = r.u16();
  const text = utf16(r.chunk, r.pos, length * 2);
  r.pos += length * 2;
  return escapeXml(text);
}

/** A substitution token's value: [id][type], looked up in the instance's values. Null when absent or null. */
function substitution(r: Reader, values: readonly Substitution[]): string | null {
  const id = r.u16();
  r.u8(); // the type the template declares; the instance's own type is the one its bytes have
  const value = values[id];
  return value === undefined ? null : valueText(r, value);
}

/** Tokens that carry text: values, substitutions, character and entity references. */
const TEXT_TOKENS: ReadonlySet<number> = new Set([0x05, 0x0d, 0x0e, 0x08, 0x09]);
const isText = (token: number): boolean => TEXT_TOKENS.has(token & 0xbf);

/** The text of one text token at the reader (the token byte not yet read). */
function textToken(r: Reader, values: readonly Substitution[]): string | null {
  const token = r.u8() & 0xbf;
  if (token === 0x05) return valueToken(r);
  if (token === 0x0d || token === 0x0e) return substitution(r, values);
  if (token === 0x08) return `&#${r.u16()};`;
  return `&${readName(r)};`;
}

/** An element at the reader (its token not yet read), rendered with its attributes and content. */
function element(r: Reader, values: readonly Substitution[]): string {
  if (r.depth > MAX_DEPTH) throw new RangeError('elements nested too deeply');
  const token = r.u8();
  r.u16(); // dependency identifier
  const dataSize = r.u32(); // the element's bytes from here to its end
  const dataStart = r.pos;
  // The name (stored here on its first use in the chunk) and, with attributes, their list size, in either order.
  const nameOffset = r.u32();
  const hasAttributes = (token & 0x40) !== 0;
  if (hasAttributes && nameOffset !== r.pos) r.u32();
  const { name, size } = nameAt(r, nameOffset);
  if (nameOffset === r.pos) {
    r.pos += size;
    if (hasAttributes) r.u32();
  }
  let attributes = '';
  while (((r.chunk[r.pos] ?? 0) & 0xbf) === 0x06) {
    r.u8();
    const attribute = readName(r);
    let value: string | null = null;
    while (isText(r.chunk[r.pos] ?? 0)) {
      const part = textToken(r, values);
      if (part !== null) value = (value ?? '') + part;
    }
    if (value !== null) attributes += ` ${attribute}="${value}"`; // an optional substitution with no value is left out
    if (name === 'Provider' && attribute === 'Name' && value !== null) r.work.provider ??= value;
  }
  const close = r.u8();
  if (close === 0x03) return `<${name}${attributes}/>`;
  if (close !== 0x02) throw new RangeError(`element ${name}: token ${close} where its start tag should close`);
  const unread = (name === 'EventData' || name === 'UserData') && r.work.skipUnreadData && isUnread(r.work);
  const end = dataStart + dataSize;
  if (unread && end > r.pos && end <= r.chunk.length && r.chunk[end - 1] === 0x04) {
    // Most of a Security log is records Lineage skips: their data is stepped over by its size, not rendered. Where
    // the size does not end at an end tag (a writer that leaves it 0), the data is read and dropped instead.
    r.pos = end;
    return '';
  }
  const inner = r.nested(r.pos);
  const content = tokens(inner, values, true);
  r.pos = inner.pos;
  if (unread) return '';
  if (name === 'EventID') r.work.eventId ??= content;
  else if (name === 'Channel') r.work.channel ??= content;
  return `<${name}${attributes}>${content}</${name}>`;
}

/** A template instance at the reader (its token not yet read): the template's tokens filled with this record's values. */
function templateInstance(r: Reader): string {
  r.u8(); // token
  r.u8();
  r.u32(); // template id
  const definition = r.u32();
  const size = r.chunk.readUInt32LE(definition + 20);
  // [next template][GUID][size], then the template's tokens; stored right here on its first use in the chunk.
  if (definition === r.pos) r.pos += 24 + size;
  const count = r.u32();
  const descriptors: Array<{ size: number; type: number }> = [];
  for (let i = 0; i < count; i++) {
    const bytes = r.u16();
    const type = r.u8();
    r.u8();
    descriptors.push({ size: bytes, type });
  }
  const values: Substitution[] = [];
  for (const { size: bytes, type } of descriptors) {
    values.push({ type, start: r.pos, size: bytes });
    r.pos += bytes;
  }
  return renderFragment(r.nested(definition + 24), definition + 24 + size, values);
}

/** Content tokens until an end tag (`untilEnd`) or the end of the fragment. */
function tokens(r: Reader, values: readonly Substitution[], untilEnd: boolean): string {
  let out = '';
  for (;;) {
    const token = r.chunk[r.pos];
    if (token === undefined) throw new RangeError('the record ends inside an element');
    if (--r.work.left < 0) throw new RangeError(`the record expands past ${MAX_TOKENS.toLocaleString('en-US')} tokens`);
    const base = token & 0xbf;
    if (base === 0x00 || base === 0x04) {
      r.pos++;
      if (base === 0x04 && !untilEnd) throw new RangeError('an end tag with no element open');
      return out;
    }
    if (base === 0x01) out += element(r, values);
    else if (base === 0x0c) out += templateInstance(r);
    else if (base === 0x0f) r.pos += 4; // fragment header: version and flags
    else if (isText(token)) out += textToken(r, values) ?? '';
    else if (base === 0x07) {
      r.u8();
      const length = r.u16();
      out += escapeXml(utf16(r.chunk, r.pos, length * 2));
      r.pos += length * 2;
    } else throw new RangeError(`token ${token} in content`);
  }
}

/** A fragment's tokens up to `end` (a template's or an embedded BinXml value's bytes). */
function renderFragment(r: Reader, end: number, values: readonly Substitution[]): string {
  if (r.depth > MAX_DEPTH) throw new RangeError('templates nested too deeply');
  const out = tokens(r, values, false);
  if (r.pos > end) throw new RangeError('a fragment runs past its size');
  return out;
}

/** Whether `chunk` starts as a chunk of an event log does. */
export function isEvtxChunk(chunk: Buffer): boolean {
  return chunk.length === CHUNK_BYTES && chunk.toString('latin1', 0, 8) === CHUNK_MAGIC;
}

/**
 * The records of one chunk, in the order stored; a record that cannot be read is an error entry, and the next is read.
 * `skipUnreadData`: leave out the EventData (or UserData) of records whose System says Lineage never reads them; such
 * a record is then only skipped by name, so its data is not needed.
 */
export function evtxChunkRecords(chunk: Buffer, skipUnreadData = false): EvtxRecord[] {
  const records: EvtxRecord[] = [];
  const names = new Map<number, ChunkName>();
  const end = Math.min(chunk.readUInt32LE(48), CHUNK_BYTES); // free space: where the records stop
  for (let at = FIRST_RECORD; at + 28 <= end;) {
    if (chunk.readUInt32LE(at) !== RECORD_MAGIC) {
      records.push({ recordId: '?', error: `no record signature at chunk offset ${at}; the rest of the chunk is skipped` });
      break;
    }
    const size = chunk.readUInt32LE(at + 4);
    const recordId = String(chunk.readBigUInt64LE(at + 8));
    if (size < 28 || at + size > end) {
      records.push({ recordId, error: `record size ${size} runs past the chunk's records; the rest of the chunk is skipped` });
      break;
    }
    try {
      const state: RecordState = { left: MAX_TOKENS, skipUnreadData, provider: null, channel: null, eventId: null };
      const r = new Reader(chunk, at + 24, 0, state, names);
      records.push({ recordId, xml: renderFragment(r, at + size - 4, []) });
    } catch (error) {
      records.push({ recordId, error: `binary XML not readable: ${error instanceof Error ? error.message : String(error)}` });
    }
    at += size;
  }
  return records;
}
