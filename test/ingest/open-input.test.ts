// Opening an input: UTF-16 (with its byte order mark) becomes UTF-8, whatever the chunks and slices cut through.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStream } from '../../src/ingest/open-input';
import { cutAt } from '../helpers/cut-at';

async function utf8Of(chunks: Buffer[]): Promise<string> {
  const { stream } = await openStream(Readable.from(chunks, { objectMode: false }), 16);
  const parts: Buffer[] = [];
  for await (const part of stream as AsyncIterable<Buffer>) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

describe('openStream', () => {
  it('turns UTF-16 of either byte order into the same text as UTF-8, characters cut across chunks and slices kept whole', async () => {
    // Long enough to span several 32 KB decoding slices; astral characters (two code units) placed anywhere.
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => s.repeat(1 + Math.floor(50_000 / (s.length + 1))));
    await fc.assert(fc.asyncProperty(text, fc.constantFrom('le', 'be'), fc.array(fc.nat({ max: 200_000 }), { maxLength: 6 }),
      async (content, order, cuts) => {
        const le = Buffer.from(`\uFEFF${content}`, 'utf16le');
        const bytes = order === 'le' ? le : Buffer.from(le).swap16();
        expect(await utf8Of(cutAt(bytes, cuts))).toBe(content);
      }), { numRuns: 40 });
  });
});
