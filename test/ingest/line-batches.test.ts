// Line framing: wherever the stream cuts its chunks, the same numbered lines.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineBatches } from '../../src/ingest/line-batches';

/** The lines of `text` as lineBatches should yield them: 1-based, blank ones counted only, CR kept, BOM dropped. */
function expectedLines(text: string): { texts: string[]; lines: number[]; through: number } {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 0) parts[0] = (parts[0] as string).replace(/^\uFEFF/, '');
  const texts: string[] = [];
  const lines: number[] = [];
  parts.forEach((part, i) => {
    if (/^[ \t\r]*$/.test(part)) return;
    texts.push(part);
    lines.push(i + 1);
  });
  return { texts, lines, through: parts.length };
}

async function collect(chunks: Buffer[], atFileStart = true) {
  const out = { texts: [] as string[], lines: [] as number[], through: 0 };
  for await (const batch of lineBatches(Readable.from(chunks, { objectMode: false }), atFileStart)) {
    out.texts.push(...batch.texts);
    out.lines.push(...batch.lines);
    out.through = batch.through;
  }
  return out;
}

/** `bytes` cut at the given positions. */
function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return chunks;
}

describe('lineBatches', () => {
  it('yields the same numbered lines wherever the stream cuts its chunks (blank lines, CRLF, BOM, multi-byte text, long lines)', async () => {
    const line = fc.oneof(
      fc.constant(''), fc.constant('  \r'), fc.string({ maxLength: 30 }).map((s) => s.replace(/\n/g, ' ')),
      fc.constant('{"a":"jörg 日本 ✓"}\r'), fc.constant('x'.repeat(3000)),
    );
    await fc.assert(fc.asyncProperty(
      fc.array(line, { maxLength: 25 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }),
      async (lines, bom, trailingNewline, cuts) => {
        const text = (bom ? '\uFEFF' : '') + lines.join('\n') + (trailingNewline && lines.length > 0 ? '\n' : '');
        const got = await collect(cutAt(Buffer.from(text), cuts));
        expect(got).toEqual(expectedLines(text));
      }), { numRuns: 300 });
  });

  it('keeps a BOM that is not at the start of the file', async () => {
    const got = await collect([Buffer.from('\uFEFF{}\n')], false);
    expect(got.texts).toEqual(['\uFEFF{}']);
  });
});
