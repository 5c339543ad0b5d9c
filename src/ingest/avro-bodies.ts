// Event Hubs Capture files: Avro object containers (`{namespace}/{hub}/{partition}/{yyyy}/{MM}/{dd}/{HH}/{mm}/{ss}.avro`)
// whose every record is one Event Hubs message, its Body the message's bytes. For Defender's streaming API a Body is
// one `{"records":[...]}` message, read as a line of Event Hubs messages is. The container is decoded a block at a
// time by avsc (codecs null and deflate), loaded only when such a file is met; nothing holds more than a block.
import type { Readable } from 'node:stream';
import { decodeText } from './decode-text';
import { MalformedDocument, type ItemBatch } from './json-array-items';
import { messageRecords, SPLIT_MESSAGE_BYTES } from './stream-messages';

/** Bodies handed over per batch (each a message of up to 1 MB, most of them far smaller). */
const BODIES_PER_BATCH = 256;

interface CaptureRecord {
  Body?: unknown;
}

/** The Body of each record of the Avro container in `stream` as text, numbered from 1 by record, in batches. */
export async function* avroBodies(stream: Readable): AsyncGenerator<ItemBatch> {
  // avsc is CommonJS: Node's ES loader gives its exports as `default` (named ones are not detected in its source).
  const avsc = await import('avsc') as typeof import('avsc') & { default?: typeof import('avsc') };
  const { streams } = avsc.default ?? avsc;
  const decoder = new streams.BlockDecoder();
  let notCapture: string | null = null;
  /** The file's sync marker, which ends its header and every block: a whole file ends with it. */
  let sync: Buffer | null = null;
  decoder.on('metadata', (type: { getField?: (name: string) => unknown; name?: string }, _codec: string, header: { sync: Buffer }) => {
    sync = header.sync;
    if (typeof type.getField !== 'function' || !type.getField('Body')) {
      notCapture = `an Avro file whose records (${type.name ?? 'not records'}) have no Body: not an Event Hubs Capture file`;
      decoder.destroy();
    }
  });
  // avsc drops a last block cut short without a word: the file's last 16 bytes tell.
  let tail: Buffer = Buffer.alloc(0);
  stream.on('data', (part: Buffer) => {
    tail = part.length >= 16 ? part.subarray(part.length - 16) : Buffer.concat([tail, part]).subarray(-16);
  });
  stream.on('error', (error) => decoder.destroy(error));
  stream.pipe(decoder);
  const newBatch = (): ItemBatch => ({ texts: [], lines: [], through: 0, overlong: [], recoded: [], unreadable: [] });
  let batch = newBatch();
  let position = 0;
  let broken: MalformedDocument | null = null;
  try {
    for await (const record of decoder as AsyncIterable<CaptureRecord>) {
      position++;
      const body = record.Body;
      // A message with no body carries no event.
      if (Buffer.isBuffer(body) && body.length > 0) {
        const records = body.length > SPLIT_MESSAGE_BYTES ? messageRecords(body, batch.recoded, position) : null;
        for (const text of records ?? [decodeText(body, 0, body.length, batch.recoded, position)]) {
          batch.texts.push(text);
          batch.lines.push(position);
        }
      }
      if (batch.texts.length >= BODIES_PER_BATCH) {
        batch.through = position;
        yield batch;
        batch = newBatch();
      }
    }
  } catch (error) {
    broken = new MalformedDocument(`Avro: ${(error as Error).message}`, position + 1);
  }
  if (notCapture) broken = new MalformedDocument(notCapture, 1);
  else if (!broken && !(sync !== null && tail.equals(sync))) {
    broken = new MalformedDocument('the file ends inside a block (a truncated copy?): the records of that block are lost', position + 1);
  }
  batch.through = position;
  yield batch;
  if (broken) throw broken;
}
