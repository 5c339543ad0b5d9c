// Splits a stream of Windows events as XML into one text per event: each ends at `</Event>`, whatever is between
// events (an `<?xml ...?>` declaration, an `<Events>` root, line breaks) is dropped. Events are decoded from the Buffer
// one at a time; nothing holds more than one event, and an event over the size limit is skipped and reported.
import type { Readable } from 'node:stream';
import { MalformedDocument, type ItemBatch } from './json-array-items';
import { MAX_LINE_BYTES, OVERLONG_HEAD_BYTES } from './line-batches';

const END = Buffer.from('</Event>');
/** Where an event opens (not the `<Events>` root). */
const START = /<Event[\s>]/;
/** What may follow the last event: the closing root and whitespace. */
const TAIL = /^\s*(<\/Events>)?\s*$/;

/** The events of `stream`, in batches (one per chunk read); `lines` holds each event's 1-based position. */
export async function* xmlEventItems(stream: Readable, maxEventBytes = MAX_LINE_BYTES): AsyncGenerator<ItemBatch> {
  // The event not yet ended: its parts (never re-copied per chunk), or, past the limit, its first bytes and length;
  // and its last bytes, where an `</Event>` cut by the chunk boundary begins.
  let parts: Buffer[] = [];
  let held = 0;
  let skipping: { head: string; bytes: number } | null = null;
  let tail = Buffer.alloc(0);
  let position = 0;

  const finish = (piece: Buffer, batch: ItemBatch): void => {
    position++;
    const bytes = held + piece.length;
    if (skipping || bytes > maxEventBytes) {
      const head = skipping?.head ?? Buffer.concat([...parts, piece]).toString('utf8', 0, OVERLONG_HEAD_BYTES);
      batch.overlong.push({ line: position, bytes: (skipping?.bytes ?? held) + piece.length, head });
    } else {
      const text = (parts.length === 0 ? piece : Buffer.concat([...parts, piece])).toString('utf8');
      const opening = text.search(START);
      batch.texts.push(opening > 0 ? text.slice(opening) : text);
      batch.lines.push(position);
    }
    parts = [];
    held = 0;
    skipping = null;
    tail = Buffer.alloc(0);
  };
  const hold = (piece: Buffer): void => {
    const keep = END.length - 1;
    tail = Buffer.from(piece.length >= keep ? piece.subarray(-keep) : Buffer.concat([tail, piece]).subarray(-keep));
    if (skipping) {
      skipping.bytes += piece.length;
      return;
    }
    parts.push(piece);
    held += piece.length;
    if (held > maxEventBytes) {
      skipping = { head: Buffer.concat(parts).toString('utf8', 0, OVERLONG_HEAD_BYTES), bytes: held };
      parts = [];
      held = 0;
    }
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const batch: ItemBatch = { texts: [], lines: [], overlong: [] };
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
    yield batch;
  }
  if (skipping || !TAIL.test(Buffer.concat(parts).toString('utf8'))) {
    throw new MalformedDocument(`the file ends inside event ${position + 1}`, position + 1);
  }
}
