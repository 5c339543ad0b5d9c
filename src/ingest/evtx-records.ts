// Reads a binary Windows event log (.evtx) as it streams: the file header, then 64 KB chunks, each read on its own
// (parsers/evtx-chunk.ts). Records are numbered in file order; nothing holds more than one chunk. Chunks share
// nothing, so a large log is split between workers at chunk starts (plan-ranges.ts); messages name records by their
// record id, which every range knows, not by chunk number, which only a whole-file read does.
import type { Readable } from 'node:stream';
import { CHUNK_BYTES, evtxChunkRecords, isEvtxChunk } from '../parsers';

/** The file header's size, where the first chunk starts. */
const HEADER_BYTES = 4096;

/** A record read (its XML) or not (why), at its 1-based position in the file. */
export type EvtxItem = { position: number; xml: string } | { position: number; error: string };

export interface EvtxBatch {
  items: EvtxItem[];
  /** Records read so far (the last position). */
  through: number;
}

const isZero = (bytes: Buffer): boolean => bytes.every((b) => b === 0);

/**
 * The records of the event log in `stream`, one batch per chunk. `atFileStart` is false for a range of the file that
 * starts at a chunk (no file header to skip); its records are numbered from the range's first.
 */
export async function* evtxRecords(stream: Readable, atFileStart = true): AsyncGenerator<EvtxBatch> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let skipped = atFileStart ? 0 : HEADER_BYTES;
  let position = 0;
  const take = (size: number): Buffer => {
    const whole = held.length === 1 ? held[0] as Buffer : Buffer.concat(held, heldBytes);
    held = whole.length > size ? [whole.subarray(size)] : [];
    heldBytes -= size;
    return whole.subarray(0, size);
  };
  const readChunk = (chunk: Buffer): EvtxBatch => {
    const items: EvtxItem[] = [];
    if (isEvtxChunk(chunk)) {
      for (const record of evtxChunkRecords(chunk)) {
        position++;
        items.push('xml' in record ? { position, xml: record.xml }
          : { position, error: `record ${record.recordId}: ${record.error}` });
      }
    } else if (!isZero(chunk)) {
      // Space a log has allocated but not used is zeros; anything else is damage, reported once for the chunk.
      items.push({ position: position + 1, error: 'a chunk that is not an event log chunk (no ElfChnk signature): skipped' });
    }
    return { items, through: position };
  };
  for await (const part of stream as AsyncIterable<Buffer>) {
    held.push(part);
    heldBytes += part.length;
    if (skipped < HEADER_BYTES) {
      const drop = Math.min(HEADER_BYTES - skipped, heldBytes);
      take(drop);
      skipped += drop;
    }
    while (heldBytes >= CHUNK_BYTES) yield readChunk(take(CHUNK_BYTES));
  }
  if (heldBytes > 0) {
    const rest = take(heldBytes);
    if (!isZero(rest)) {
      const error = `the file ends inside a chunk (${rest.length} of ${CHUNK_BYTES} bytes): truncated`;
      yield { items: [{ position: position + 1, error }], through: position };
    }
  }
}
