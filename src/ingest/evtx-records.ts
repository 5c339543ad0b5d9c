// Reads a binary Windows event log (.evtx) as it streams: the file header, then 64 KB chunks, each read on its own
// (parsers/evtx-chunk.ts). Records are numbered in file order; nothing holds more than one chunk. Chunks share
// nothing, so a large log is split between workers at chunk starts (plan-ranges.ts); messages name records by their
// record id, which every range knows, not by chunk number, which only a whole-file read does.
import type { Readable } from 'node:stream';
import { CHUNK_BYTES, EVTX_HEADER_BYTES, evtxChunkRecords, isEvtxChunk } from '../parsers';
import type { ItemBatch } from './json-array-items';
import { emptyBatch } from './line-batches';

type EvtxBatch = ItemBatch & Required<Pick<ItemBatch, 'unreadable'>>;

const isZero = (bytes: Buffer): boolean => bytes.every((b) => b === 0);

/**
 * The records of the event log in `stream` as XML texts, one batch per chunk, records that cannot be read among the
 * batch's `unreadable`. `atFileStart` is false for a range of the file that starts at a chunk (no file header to
 * skip); its records are numbered from the range's first.
 */
export async function* evtxRecords(stream: Readable, atFileStart = true): AsyncGenerator<ItemBatch> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let skipped = atFileStart ? 0 : EVTX_HEADER_BYTES;
  let position = 0;
  const take = (size: number): Buffer => {
    const whole = held.length === 1 ? held[0] as Buffer : Buffer.concat(held, heldBytes);
    held = whole.length > size ? [whole.subarray(size)] : [];
    heldBytes -= size;
    return whole.subarray(0, size);
  };
  const batch = (): EvtxBatch => Object.assign(emptyBatch(), { unreadable: [] });
  const readChunk = (chunk: Buffer): EvtxBatch => {
    const out = batch();
    if (isEvtxChunk(chunk)) {
      for (const record of evtxChunkRecords(chunk, true)) {
        position++;
        if ('xml' in record) {
          out.texts.push(record.xml);
          out.lines.push(position);
        } else {
          out.unreadable.push({ line: position, message: `evtx: record ${record.recordId}: ${record.error}` });
        }
      }
    } else if (!isZero(chunk)) {
      // Space a log has allocated but not used is zeros; anything else is damage, reported once for the chunk.
      const message = 'evtx: a chunk that is not an event log chunk (no ElfChnk signature): skipped';
      out.unreadable.push({ line: position + 1, message });
    }
    out.through = position;
    return out;
  };
  for await (const part of stream as AsyncIterable<Buffer>) {
    held.push(part);
    heldBytes += part.length;
    if (skipped < EVTX_HEADER_BYTES) {
      const drop = Math.min(EVTX_HEADER_BYTES - skipped, heldBytes);
      take(drop);
      skipped += drop;
    }
    while (heldBytes >= CHUNK_BYTES) yield readChunk(take(CHUNK_BYTES));
  }
  if (heldBytes > 0) {
    const rest = take(heldBytes);
    if (!isZero(rest)) {
      const out = batch();
      const message = `evtx: the file ends inside a chunk (${rest.length} of ${CHUNK_BYTES} bytes): truncated`;
      out.unreadable.push({ line: position + 1, message });
      out.through = position;
      yield out;
    }
  }
}
