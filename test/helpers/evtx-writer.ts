// Writes binary Windows event logs (.evtx) for tests: a file header, then chunks whose first record defines one
// template (System fields plus named EventData) that every record of the chunk instantiates, as Windows does.
// Only what the reader needs is filled in (no checksums, no string or template tables).
import { CHUNK_BYTES as CHUNK, EVTX_HEADER_BYTES } from '../../src/parsers';

export interface EvtxTestRecord {
  recordId: bigint;
  provider: string;
  eventId: number;
  /** 100-ns ticks since 1601-01-01 (FILETIME). */
  fileTime: bigint;
  channel: string;
  computer: string;
  /** EventData, by name; every record of one file must have the same names in the same order. */
  data: Array<[string, string]>;
}


class Bytes {
  parts: Buffer[] = [];
  length = 0;
  push(bytes: Buffer): void { this.parts.push(bytes); this.length += bytes.length; }
  u8(v: number): void { this.push(Buffer.from([v])); }
  u16(v: number): void { const b = Buffer.alloc(2); b.writeUInt16LE(v); this.push(b); }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  u64(v: bigint): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); this.push(b); }
  bytes(): Buffer { return Buffer.concat(this.parts, this.length); }
}

/** A template's tokens; `base` is the chunk offset they will sit at (names are stored inline on first use). */
function templateTokens(base: number, names: readonly string[], zeroSizes: boolean): Buffer {
  const out = new Bytes();
  const seen = new Map<string, number>();
  let substitution = 0;
  const name = (text: string): void => {
    const known = seen.get(text);
    if (known !== undefined) return out.u32(known);
    const at = base + out.length + 4;
    seen.set(text, at);
    out.u32(at);
    out.u32(0);
    out.u16(0);
    out.u16(text.length);
    out.push(Buffer.from(`${text}\0`, 'utf16le'));
  };
  /**
   * Opens an element; returns what ends it: its last token (0x03 for an empty element, else 0x04 after the content),
   * then its data size filled in, as Windows writes it (the bytes after the size field, the last token included).
   */
  const open = (tag: string, attributes: Array<[string, (() => void)]>): ((last: number) => void) => {
    out.u8(attributes.length > 0 ? 0x41 : 0x01);
    out.u16(0xffff);
    const size = Buffer.alloc(4);
    out.push(size);
    const from = out.length;
    name(tag);
    if (attributes.length > 0) out.u32(0);
    attributes.forEach(([attribute, value], i) => {
      out.u8(i < attributes.length - 1 ? 0x46 : 0x06);
      name(attribute);
      value();
    });
    return (last) => {
      out.u8(last);
      if (!zeroSizes) size.writeUInt32LE(out.length - from);
    };
  };
  const text = (value: string) => (): void => {
    out.u8(0x05);
    out.u8(0x01);
    out.u16(value.length);
    out.push(Buffer.from(value, 'utf16le'));
  };
  const sub = (type: number) => (): void => {
    out.u8(0x0e);
    out.u16(substitution++);
    out.u8(type);
  };
  const leaf = (tag: string, type: number): void => {
    const end = open(tag, []);
    out.u8(0x02);
    sub(type)();
    end(0x04);
  };
  out.push(Buffer.from([0x0f, 1, 1, 0]));
  const endEvent = open('Event', [['xmlns', text('http://schemas.microsoft.com/win/2004/08/events/event')]]);
  out.u8(0x02);
  const endSystem = open('System', []);
  out.u8(0x02);
  open('Provider', [['Name', sub(0x01)]])(0x03);
  leaf('EventID', 0x06);
  open('TimeCreated', [['SystemTime', sub(0x11)]])(0x03);
  leaf('EventRecordID', 0x0a);
  leaf('Channel', 0x01);
  leaf('Computer', 0x01);
  endSystem(0x04);
  const endEventData = open('EventData', []);
  out.u8(0x02);
  for (const field of names) {
    const endData = open('Data', [['Name', text(field)]]);
    out.u8(0x02);
    sub(0x01)();
    endData(0x04);
  }
  endEventData(0x04);
  endEvent(0x04);
  out.u8(0x00);
  return out.bytes();
}

function values(record: EvtxTestRecord): Array<[number, Buffer]> {
  const u16 = Buffer.alloc(2);
  u16.writeUInt16LE(record.eventId);
  const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; };
  const wide = (s: string) => Buffer.from(`${s}\0`, 'utf16le');
  return [[0x01, wide(record.provider)], [0x06, u16], [0x11, u64(record.fileTime)], [0x0a, u64(record.recordId)],
    [0x01, wide(record.channel)], [0x01, wide(record.computer)], ...record.data.map(([, v]) => [0x01, wide(v)] as [number, Buffer])];
}

function recordBytes(record: EvtxTestRecord, at: number, definition: number | null, names: readonly string[],
  zeroSizes: boolean): Buffer {
  const body = new Bytes();
  body.push(Buffer.from([0x0f, 1, 1, 0]));
  body.u8(0x0c);
  body.u8(0x01);
  body.u32(0);
  const here = at + 24 + body.length + 4;
  body.u32(definition ?? here);
  if (definition === null) {
    const tokens = templateTokens(here + 24, names, zeroSizes);
    body.u32(0);
    body.push(Buffer.alloc(16));
    body.u32(tokens.length);
    body.push(tokens);
  }
  const vals = values(record);
  body.u32(vals.length);
  for (const [type, bytes] of vals) {
    body.u16(bytes.length);
    body.u8(type);
    body.u8(0);
  }
  for (const [, bytes] of vals) body.push(bytes);
  body.u8(0x00);
  const size = 24 + body.length + 4;
  const out = Buffer.alloc(size);
  out.writeUInt32LE(0x00002a2a, 0);
  out.writeUInt32LE(size, 4);
  out.writeBigUInt64LE(record.recordId, 8);
  out.writeBigUInt64LE(record.fileTime, 16);
  body.bytes().copy(out, 24);
  out.writeUInt32LE(size, size - 4);
  return out;
}

/**
 * An .evtx holding `records`, as many to a chunk as fit. `zeroSizes`: leave every element's data size 0, as some
 * writers other than Windows do.
 */
export function writeEvtx(records: readonly EvtxTestRecord[], { zeroSizes = false } = {}): Buffer {
  const names = records[0]?.data.map(([name]) => name) ?? [];
  const header = Buffer.alloc(EVTX_HEADER_BYTES);
  header.write('ElfFile\0', 0, 'latin1');
  const chunks: Buffer[] = [];
  let chunk: Buffer | null = null;
  let at = 512;
  let definition: number | null = null;
  const close = (): void => {
    if (!chunk) return;
    chunk.writeUInt32LE(at, 48);
    chunks.push(chunk);
    chunk = null;
  };
  for (const record of records) {
    let bytes = chunk ? recordBytes(record, at, definition, names, zeroSizes) : null;
    if (!chunk || !bytes || at + bytes.length > CHUNK) {
      close();
      chunk = Buffer.alloc(CHUNK);
      chunk.write('ElfChnk\0', 0, 'latin1');
      at = 512;
      definition = null;
      bytes = recordBytes(record, at, null, names, zeroSizes);
      // The template sits right after the instance's header: 24 (record) + 4 (fragment) + 10 (instance).
      definition = at + 24 + 4 + 10;
    }
    bytes.copy(chunk, at);
    at += bytes.length;
  }
  close();
  return Buffer.concat([header, ...chunks]);
}
