// Splits a stream of Windows events as XML into one text per event: each ends at `</Event>`, whatever is between
// events (an `<?xml ...?>` declaration, an `<Events>` root, line breaks) is dropped. Events are decoded from the Buffer
// one at a time; nothing holds more than one event, and an event over the size limit is skipped and reported.
import type { Readable } from 'node:stream';
import { decodeText } from './decode-text';
import { MalformedDocument, type ItemBatch } from './json-array-items';
import { HeldRecord } from './held-record';
import { emptyBatch, MAX_LINE_BYTES } from './line-batches';

const END = Buffer.from('</Event>');
/** Where an event opens (not the `<Events>` root). */
const START = /<Event[\s>]/;
/** What may follow the last event: the closing root and whitespace. */
const TAIL = /^\s*(<\/Events>)?\s*$/;

/** The events of `stream`, in batches (one per chunk read); `lines` holds each event's 1-based position. */
export async function* xmlEventItems(stream: Readable, maxEventBytes = MAX_LINE_BYTES): AsyncGenerator<ItemBatch> {
  // The event not yet ended, and its last bytes: where an `</Event>` cut by the chunk boundary begins.
  const event = new HeldRecord(maxEventBytes);
  let tail = Buffer.alloc(0);
  let position = 0;

  const finish = (piece: Buffer, batch: ItemBatch): void => {
    position++;
    tail = Buffer.alloc(0);
    const record = event.finish(piece, position);
    if ('overlong' in record) {
      batch.overlong.push(record.overlong);
      return;
    }
    const text = decodeText(record.bytes, 0, record.bytes.length, batch.recoded, position);
    const opening = text.search(START);
    batch.texts.push(opening > 0 ? text.slice(opening) : text);
    batch.lines.push(position);
  };
  const hold = (piece: Buffer): void => {
    const keep = END.length - 1;
    tail = Buffer.from(piece.length >= keep ? piece.subarray(-keep) : Buffer.concat([tail, piece]).subarray(-keep));
    event.hold(piece);
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const batch: ItemBatch = emptyBatch();
    let start = 0;
    if (tail.length > 0) {
      // An `</Event>` that began in the bytes held: it ends the held event a few bytes into this chunk.
      const straddle = Buffer.concat([tail, chunk.subarray(0, END.length - 1)]).indexOf(END);
      if (straddle >= 0) {
        start = straddle + END.length - tail.length;
        finish(chunk.subarray(0, start), batch);
      }
    }
    for (let end = chunk.indexOf(END, start); end >= 0; end = chunk.indexOf(END, start)) {
      finish(chunk.subarray(start, end + END.length), batch);
      start = end + END.length;
    }
    if (start < chunk.length) hold(chunk.subarray(start));
    batch.through = position;
    yield batch;
  }
  const trailing = event.heldText();
  if (trailing === null || !TAIL.test(trailing)) {
    throw new MalformedDocument(`the file ends inside event ${position + 1}`, position + 1);
  }
}
