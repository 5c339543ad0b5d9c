// Event Hubs Capture files: Avro object containers (`{namespace}/{hub}/{partition}/{yyyy}/{MM}/{dd}/{HH}/{mm}/{ss}.avro`)
// whose every record is one Event Hubs message, its Body the message's bytes. For Defender's streaming API a Body is
// one `{"records":[...]}` message, read as a line of Event Hubs messages is.
// The container is framed here, a block at a time, with limits: the header, then blocks of (record count, byte size,
// data, sync marker), codec null or deflate. avsc decodes the records of a block from the schema the header names
// (loaded only when such a file is met). Its own container reader was not used: it drops a last block cut short
// without a word, and it buffers whatever size a block claims, so a damaged size could make it hold the whole file.
import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { decodeText } from './decode-text';
import { MalformedDocument, type ItemBatch } from './json-array-items';
import { emptyBatch, MAX_LINE_BYTES } from './line-batches';
import { messageRecords, SPLIT_MESSAGE_BYTES } from './stream-messages';

const MAGIC = Buffer.from('Obj\x01', 'latin1');
const SYNC_BYTES = 16;
/** A header is a schema and a few names: far below this. */
const MAX_HEADER_BYTES = 1 << 20;
/** Capture writes blocks far smaller; a size past this is damage (the limit a line or a document's item has). */
const MAX_BLOCK_BYTES = MAX_LINE_BYTES;

/** Bytes received and not yet framed, held as they came: joined only when a whole header or block is there. */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(part: Buffer): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.length += part.length;
  }

  /** The first `n` bytes (at most all), without taking them. */
  peek(n: number): Buffer {
    const first = this.parts[0];
    if (first && first.length >= n) return first.subarray(0, n);
    const joined = Buffer.concat(this.parts, this.length);
    this.parts = [joined];
    return joined.subarray(0, n);
  }

  /** Takes the first `n` bytes (there must be that many). */
  take(n: number): Buffer {
    const head = this.peek(n);
    const first = this.parts[0] as Buffer;
    if (first.length === n) this.parts.shift();
    else this.parts[0] = first.subarray(n);
    this.length -= n;
    return head;
  }
}

/** An Avro long (zig-zag varint) at `at` in `bytes`: its value and the position after it; null if `bytes` ends first. */
function readLong(bytes: Buffer, at: number): { value: number; next: number } | null {
  let n = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i] as number;
    n += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value: n % 2 === 0 ? n / 2 : -(n + 1) / 2, next: i + 1 };
  }
  if (bytes.length >= at + 10) throw new Error('a number longer than 10 bytes');
  return null;
}

interface Header {
  meta: Map<string, Buffer>;
  sync: Buffer;
  /** Bytes the header takes. */
  size: number;
}

/** The container header at the start of `bytes`, or null when `bytes` ends inside it. */
function readHeader(bytes: Buffer): Header | null {
  if (bytes.length < MAGIC.length) return null;
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('no Avro magic bytes');
  const meta = new Map<string, Buffer>();
  let at = MAGIC.length;
  for (;;) {
    const count = readLong(bytes, at);
    if (!count) return null;
    at = count.next;
    if (count.value === 0) break;
    if (count.value < 0) { // a block of the map that also gives its size in bytes
      const size = readLong(bytes, at);
      if (!size) return null;
      at = size.next;
    }
    for (let i = 0; i < Math.abs(count.value); i++) {
      const key = readLong(bytes, at);
      if (!key || bytes.length < key.next + key.value) return null;
      const name = bytes.toString('utf8', key.next, key.next + key.value);
      const value = readLong(bytes, key.next + key.value);
      if (!value || bytes.length < value.next + value.value) return null;
      meta.set(name, bytes.subarray(value.next, value.next + value.value));
      at = value.next + value.value;
    }
  }
  if (bytes.length < at + SYNC_BYTES) return null;
  return { meta, sync: Buffer.from(bytes.subarray(at, at + SYNC_BYTES)), size: at + SYNC_BYTES };
}

interface CaptureRecord {
  Body?: unknown;
}

/**
 * A record's Body as bytes: Capture's `["null","bytes"]` gives a Buffer or null; another writer's schema may give text,
 * or a union avsc wraps (`{"bytes": ...}`). Null for no body; undefined for a Body of another kind.
 */
function bodyBytes(body: unknown): Buffer | null | undefined {
  if (body === null || body === undefined) return null;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (typeof body === 'object') {
    const branches = Object.values(body as Record<string, unknown>);
    if (branches.length === 1) return bodyBytes(branches[0]);
  }
  return undefined;
}

/** The Body of each record of the Avro container in `stream` as text, numbered from 1 by record, a batch per block. */
export async function* avroBodies(stream: Readable): AsyncGenerator<ItemBatch> {
  // avsc is CommonJS: Node's ES loader gives its exports as `default` (named ones are not detected in its source).
  const avsc = await import('avsc') as typeof import('avsc') & { default?: typeof import('avsc') };
  const { Type } = avsc.default ?? avsc;
  const queue = new ByteQueue();
  let header: Header | null = null;
  let type: ReturnType<typeof Type.forSchema> | null = null;
  let deflate = false;
  let position = 0;
  let batch: ItemBatch = emptyBatch();
  const fail = (message: string): never => {
    throw new MalformedDocument(message, position + 1);
  };
  const takeHeader = (): void => {
    const found = readHeader(queue.peek(Math.min(queue.length, MAX_HEADER_BYTES)));
    if (!found) {
      if (queue.length >= MAX_HEADER_BYTES) fail(`no Avro header in the first ${MAX_HEADER_BYTES} bytes`);
      return;
    }
    queue.take(found.size);
    header = found;
    const codec = found.meta.get('avro.codec')?.toString('latin1') ?? 'null';
    if (codec !== 'null' && codec !== 'deflate') fail(`the Avro codec ${JSON.stringify(codec)} is not read (null and deflate are)`);
    deflate = codec === 'deflate';
    const schema = found.meta.get('avro.schema');
    if (!schema) fail('an Avro header without a schema');
    type = Type.forSchema(JSON.parse((schema as Buffer).toString('utf8')) as Parameters<typeof Type.forSchema>[0]);
    const fields = (type as unknown as { getField?: (name: string) => unknown }).getField;
    if (typeof fields !== 'function' || !fields.call(type, 'Body')) {
      fail(`an Avro file whose records (${type.name ?? 'not records'}) have no Body: not an Event Hubs Capture file`);
    }
  };
  /** Reads the next block if it is all there; false when more bytes are needed. */
  const takeBlock = (): boolean => {
    const head = queue.peek(Math.min(queue.length, 20));
    const count = readLong(head, 0);
    const size = count && readLong(head, count.next);
    if (!count || !size) return false;
    if (count.value < 0 || size.value < 0 || size.value > MAX_BLOCK_BYTES) {
      fail(`a block of ${count.value} records in ${size.value} bytes: damaged (blocks hold at most ${MAX_BLOCK_BYTES / 2 ** 20} MiB)`);
    }
    if (queue.length < size.next + size.value + SYNC_BYTES) return false;
    queue.take(size.next);
    const stored = queue.take(size.value);
    if (!queue.take(SYNC_BYTES).equals((header as Header).sync)) fail('a block that does not end with the file\'s sync marker');
    let data: Buffer;
    try {
      data = deflate ? inflateRawSync(stored, { maxOutputLength: MAX_BLOCK_BYTES }) : stored;
    } catch (error) {
      return fail(`a block that does not inflate: ${(error as Error).message}`);
    }
    let at = 0;
    for (let i = 0; i < count.value; i++) {
      const decoded = (type as ReturnType<typeof Type.forSchema>).decode(data, at);
      if (decoded.offset < 0) fail(`a block whose record ${i + 1} of ${count.value} is cut short`);
      // A record of no bytes (a schema of nulls) would let a block claim any number of them: no Capture record is so.
      if (decoded.offset <= at) fail('a record of no bytes: not an Event Hubs Capture record');
      at = decoded.offset;
      position++;
      const body = bodyBytes((decoded.value as CaptureRecord).Body);
      if (body === undefined) {
        (batch.unreadable ??= []).push({ line: position, message: 'a record whose Body is neither bytes nor text: not read' });
        continue;
      }
      // A message with no body carries no event.
      if (body === null || body.length === 0) continue;
      const records = body.length > SPLIT_MESSAGE_BYTES ? messageRecords(body, batch.recoded, position) : null;
      for (const text of records ?? [decodeText(body, 0, body.length, batch.recoded, position)]) {
        batch.texts.push(text);
        batch.lines.push(position);
      }
    }
    return true;
  };

  let broken: unknown = null;
  try {
    for await (const part of stream as AsyncIterable<Buffer>) {
      queue.push(part);
      if (!header) takeHeader();
      while (header && takeBlock()) {
        batch.through = position;
        yield batch;
        batch = emptyBatch();
      }
    }
    if (!header) fail('the file ends inside its Avro header');
    if (queue.length > 0) fail('the file ends inside a block (a truncated copy?): the records of that block are lost');
  } catch (error) {
    broken = error instanceof MalformedDocument ? error : new MalformedDocument(`Avro: ${(error as Error).message}`, position + 1);
  }
  batch.through = position;
  yield batch;
  if (broken) throw broken;
}
