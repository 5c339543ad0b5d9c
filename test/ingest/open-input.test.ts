// Opening an input: UTF-16 (with its byte order mark) becomes UTF-8, whatever the chunks and slices cut through; a
// small file is read in one call, a pipe is streamed.
import { execFileSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest';
import { openInput, openStream } from '../../src/ingest/open-input';
import { createIngestSink, openStore } from '../../src/store';
import { cutAt } from '../helpers/cut-at';
import { fullRow } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';

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

describe('openInput', () => {
  const tempDir = useTempDirs();
  const line = (i: number): string => `${JSON.stringify(fullRow('DeviceProcessEvents', i, { ReportId: i }))}\n`;

  it('streams a named pipe (`<(zcat x.gz)`): rows are stored before the writer has closed it', async () => {
    const fifo = join(tempDir(), 'DeviceProcessEvents.json');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    // More than format detection peeks at (64 KB).
    writer.write(Array.from({ length: 40 }, (_, i) => line(i)).join(''));
    const db = openStore(':memory:');
    let storedBeforeEnd = -1;
    // Read whole like a small file, the pipe would block until its end, and the end only comes after a first write
    // (in a worker, so that this test then fails by its timeout instead of blocking the runner).
    const summary = await ingestPaths([fifo], {
      sink: createIngestSink(db), workers: 1, batchSize: 5,
      onProgress: (progress) => {
        if (storedBeforeEnd >= 0) return;
        storedBeforeEnd = progress.events;
        writer.end(Array.from({ length: 10 }, (_, i) => line(40 + i)).join(''));
      },
    });
    expect(storedBeforeEnd).toBeGreaterThan(0);
    expect(summary.events.DeviceProcessEvents).toBe(50);
    db.close();
  });

  it("gives all of a small file as its head, as a stream's first read of it does, and all of it again", async () => {
    const path = join(tempDir(), 'rows.json');
    const text = Array.from({ length: 30 }, (_, i) => line(i)).join('');
    writeFileSync(path, text);
    const { head, stream, compressed, bytesRead } = await openInput(path, 100);
    expect(head.toString()).toBe(text);
    const parts: Buffer[] = [];
    for await (const part of stream as AsyncIterable<Buffer>) parts.push(part);
    expect(Buffer.concat(parts).toString()).toBe(text);
    expect([compressed, bytesRead()]).toEqual([false, Buffer.byteLength(text)]);
  });
});
