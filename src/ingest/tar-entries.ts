// Reads the files inside a tar archive (plain, or gzipped: `.tar.gz`, `.tgz`, unpacked before this) one after another
// as streams, in one pass: a tar is a sequence of 512-byte headers each followed by its file's bytes, so it needs no
// random access and works from stdin too. ustar, POSIX pax (long names and sizes) and GNU long names are read;
// directories, links and devices are passed over, as are hidden and macOS resource entries. Nothing is held beyond
// the chunk being read: each entry's stream pulls its bytes from the archive as it is read, and whatever the reader
// of an entry leaves (a README passed over after its first bytes) is skipped before the next header.
import { Readable } from 'node:stream';
import { InvalidInput } from '../domain';

const BLOCK = 512;
/** A pax header holds a few names and numbers; past this it is damage. */
const MAX_PAX_BYTES = 1 << 20;

/** Whether the first bytes of an input are a tar header (ustar or GNU magic at offset 257). */
export function isTar(head: Buffer): boolean {
  return head.length >= 263 && head.toString('latin1', 257, 262) === 'ustar';
}

export interface TarEntry {
  /** The entry's path inside the archive. */
  name: string;
  /** Its bytes. Read it (or not) before asking for the next entry. */
  stream: Readable;
}

/** Pulls exact byte counts from a stream's chunks. */
class Puller {
  private held: Buffer = Buffer.alloc(0);
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(source: Readable) {
    this.chunks = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Up to `max` bytes (fewer when fewer are held); an empty buffer at the end of the input. */
  async some(max: number): Promise<Buffer> {
    if (this.held.length === 0) {
      const next = await this.chunks.next();
      if (next.done) return Buffer.alloc(0);
      this.held = next.value;
    }
    const part = this.held.subarray(0, max);
    this.held = this.held.subarray(part.length);
    return part;
  }

  /** Exactly `n` bytes, or fewer only at the end of the input. */
  async exactly(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const part = await this.some(n - got);
      if (part.length === 0) break;
      parts.push(part);
      got += part.length;
    }
    return parts.length === 1 ? parts[0] as Buffer : Buffer.concat(parts, got);
  }

  /** Passes over `n` bytes; returns how many there were. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const part = await this.some(left);
      if (part.length === 0) break;
      left -= part.length;
    }
    return n - left;
  }
}

const text = (block: Buffer, at: number, length: number): string => {
  const end = block.indexOf(0, at);
  return block.toString('utf8', at, end < 0 || end > at + length ? at + length : end);
};

/** A numeric header field: octal text, or (for sizes past 8 GB) base-256 when its first byte has the high bit. */
function number(block: Buffer, at: number, length: number): number {
  if ((block[at] as number) & 0x80) {
    let n = (block[at] as number) & 0x7f;
    for (let i = at + 1; i < at + length; i++) n = n * 256 + (block[i] as number);
    return n;
  }
  const digits = text(block, at, length).trim();
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

/** Whether the header's checksum (the sum of its bytes, the checksum field counted as spaces) holds. */
function checksumHolds(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] as number);
  return sum === number(block, 148, 8);
}

/** The `path` and `size` records of a pax extended header (`<length> <key>=<value>\n` each). */
function paxRecords(data: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = space < 0 ? NaN : Number.parseInt(data.toString('latin1', at, space), 10);
    if (!(length > 0)) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const equals = record.indexOf('=');
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === 'path') out.path = value;
    else if (key === 'size' && /^\d+$/.test(value)) out.size = Number(value);
    at += length;
  }
  return out;
}

const skippedName = (name: string): boolean => name.split('/').some((part) => part.startsWith('.') && part !== '.' && part !== '..')
  || name.split('/').includes('__MACOSX');

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** The file entries of the tar archive in `source`, in archive order; `archive` names it in errors. */
export async function* tarEntries(source: Readable, archive: string): AsyncGenerator<TarEntry> {
  const puller = new Puller(source);
  const broken = (why: string): InvalidInput => new InvalidInput(`ingest: ${archive}: broken tar archive: ${why}`);
  let longName: string | null = null;
  let paxSize: number | null = null;
  for (;;) {
    const block = await puller.exactly(BLOCK);
    if (block.length === 0) return; // an archive cut at a header boundary without its end blocks: all it held is read
    if (block.length < BLOCK) throw broken('it ends inside a header (a truncated copy?)');
    if (block.every((byte) => byte === 0)) return; // the end-of-archive blocks
    if (!checksumHolds(block)) throw broken('a header whose checksum does not hold');
    const type = String.fromCharCode(block[156] as number);
    const size = paxSize ?? number(block, 124, 12);
    const prefix = block.toString('latin1', 257, 263).startsWith('ustar') ? text(block, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
    longName = null;
    paxSize = null;
    if (type === 'x' || type === 'L') {
      // The next entry's long name (and, for pax, its size).
      if (size > MAX_PAX_BYTES) throw broken(`an extended header of ${size} bytes`);
      const data = await puller.exactly(size);
      if (data.length < size) throw broken('it ends inside an extended header (a truncated copy?)');
      await puller.skip(padding(size));
      if (type === 'L') longName = text(data, 0, data.length);
      else {
        const records = paxRecords(data);
        longName = records.path ?? null;
        paxSize = records.size ?? null;
      }
      continue;
    }
    const isFile = type === '0' || type === '\0' || type === '7';
    if (!isFile || skippedName(name)) {
      // Directories, links, devices, global pax headers, hidden files: passed over with their bytes.
      if ((await puller.skip(size + padding(size))) < size) throw broken(`it ends inside ${name} (a truncated copy?)`);
      continue;
    }
    let left = size;
    let cut = false;
    const bytes = async function* (): AsyncGenerator<Buffer> {
      while (left > 0) {
        const part = await puller.some(left);
        if (part.length === 0) {
          cut = true;
          return;
        }
        left -= part.length;
        yield part;
      }
    };
    const stream = Readable.from(bytes(), { objectMode: false });
    let ended: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => { ended = resolve; });
    stream.once('close', () => ended());
    yield { name, stream };
    // The reader is done with the entry: the rest of its bytes (and the padding) are passed over.
    stream.destroy();
    await closed;
    if (left > 0 && (await puller.skip(left)) < left) cut = true;
    if (cut) throw broken(`it ends inside ${name} (a truncated copy?): the entries before it are read`);
    await puller.skip(padding(size));
  }
}
