// Line framing: wherever the stream cuts its chunks, the same numbered lines.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineBatches } from '../../src/ingest/line-batches';
import { cutAt } from '../helpers/cut-at';

/**
 * The lines of `text` as lineBatches should yield them: 1-based, blank ones counted only, CR kept, BOM dropped; a
 * line over `max` bytes only as its number, length and first bytes.
 */
function expectedLines(text: string, max = Infinity, headBytes = 1024) {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let from = 0; from <= bytes.length;) {
    const newline = bytes.indexOf(10, from);
    parts.push(bytes.subarray(from, newline < 0 ? bytes.length : newline));
    if (newline < 0) break;
    from = newline + 1;
  }
  if (parts[parts.length - 1]?.length === 0) parts.pop();
  const texts: string[] = [];
  const lines: number[] = [];
  const overlong: Array<{ line: number; bytes: number; head: string }> = [];
  parts.forEach((part, i) => {
    if (part.length > max) {
      overlong.push({ line: i + 1, bytes: part.length, head: part.subarray(0, headBytes).toString('utf8') });
      return;
    }
    const line = i === 0 ? part.toString('utf8').replace(/^\uFEFF/, '') : part.toString('utf8');
    if (/^[ \t\r]*$/.test(line)) return;
    texts.push(line);
    lines.push(i + 1);
  });
  return { texts, lines, through: parts.length, overlong };
}

async function collect(chunks: Buffer[], atFileStart = true, max?: number) {
  const out = { texts: [] as string[], lines: [] as number[], through: 0, overlong: [] as Array<{ line: number; bytes: number; head: string }> };
  for await (const batch of lineBatches(Readable.from(chunks, { objectMode: false }), atFileStart, max)) {
    out.texts.push(...batch.texts);
    out.lines.push(...batch.lines);
    out.overlong.push(...batch.overlong);
    out.through = batch.through;
  }
  return out;
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

  it('reports a line over the limit by number, length and first bytes, never holding it whole, wherever the chunks cut', async () => {
    const line = fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')), fc.constant('y'.repeat(1500)),
      fc.constant('z'.repeat(5000)), fc.constant('{"a":"jörg 日本 ✓"}'.repeat(200)));
    await fc.assert(fc.asyncProperty(
      fc.array(line, { maxLength: 20 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom(30, 2000),
      async (lines, trailingNewline, cuts, max) => {
        const text = lines.join('\n') + (trailingNewline && lines.length > 0 ? '\n' : '');
        const got = await collect(cutAt(Buffer.from(text), cuts), true, max);
        expect(got).toEqual(expectedLines(text, max));
      }), { numRuns: 300 });
  });

  it('keeps a BOM that is not at the start of the file', async () => {
    const got = await collect([Buffer.from('\uFEFF{}\n')], false);
    expect(got.texts).toEqual(['\uFEFF{}']);
  });
});
