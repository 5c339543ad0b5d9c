// Writes tar archives as GNU tar and bsdtar do (ustar headers; a pax header before a name over 100 bytes), for tests.
const BLOCK = 512;

function header(name: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name.slice(0, 100), 0, 'utf8');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('14712345670\0', 136, 'latin1');
  block.write(type, 156, 'latin1');
  block.write('ustar\x0000', 257, 'latin1');
  block.fill(32, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const padded = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)]);

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}

export interface TarItem {
  name: string;
  /** A file's bytes; absent for a folder. */
  data?: Buffer | string;
}

/** A tar archive of `items`, in order, with its two end blocks. */
export function writeTar(items: readonly TarItem[]): Buffer {
  const parts: Buffer[] = [];
  for (const item of items) {
    if (item.data === undefined) {
      parts.push(header(item.name, 0, '5'));
      continue;
    }
    const data = Buffer.from(item.data);
    if (Buffer.byteLength(item.name) > 100) {
      const pax = Buffer.from(paxRecord('path', item.name));
      parts.push(header('PaxHeader/long', pax.length, 'x'), padded(pax));
    }
    parts.push(header(item.name, data.length, '0'), padded(data));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
