// Event Hubs Capture files (Avro): each record's Body is one streaming-API message, read as a line of them is.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Schema } from 'avsc';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES, type TableName } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { formatRows } from '../../src/simulate';
import { createIngestSink, openStore } from '../../src/store';
import { captureFile } from '../helpers/capture-avro';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { parseText } from '../helpers/parse-text';
import { storedEvents } from '../helpers/store-rows';
import { useTempDirs } from '../helpers/temp-dir';

const now = () => '2026-01-01T00:00:00Z';

/** The fixture rows of `table` as streaming-API messages of at most two records each, as Defender sends them. */
function messages(table: TableName): string[] {
  const records = formatRows('mde-stream', table, fixtureRows()[table]).trimEnd().split('\r\n');
  const out: string[] = [];
  for (let i = 0; i < records.length; i += 2) out.push(`{"records":[${records.slice(i, i + 2).join(',')}]}`);
  return out;
}

describe('Event Hubs Capture files', () => {
  const tempDir = useTempDirs();

  it('store what the same rows as NDJSON store, with either codec, gzipped or not, in small blocks', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ndjson'));
    for (const table of TABLE_NAMES) writeFileSync(join(dir, 'ndjson', `${table}.json`), formatRows('mde-ndjson', table, fixtureRows()[table]));
    const reference = openStore(join(dir, 'ndjson.db'));
    await ingestPaths([join(dir, 'ndjson')], { sink: createIngestSink(reference), workers: 0, now });
    const expected = storedEvents(reference);
    expect(expected).toHaveLength(5);
    for (const [name, codec, gzip, workers] of [['null', 'null', false, 0], ['deflate', 'deflate', true, 1]] as const) {
      const folder = join(dir, name, 'ns', 'hub', '0', '2024', '05', '06', '00', '00');
      mkdirSync(folder, { recursive: true });
      // Both tables' messages in one partition's file, a message without a body among them, as Capture interleaves them.
      const bodies = [...messages('DeviceProcessEvents'), null, ...messages('DeviceNetworkEvents')];
      const file = await captureFile(bodies, { codec, blockSize: 512 });
      writeFileSync(join(folder, gzip ? '00.avro.gz' : '00.avro'), gzip ? gzipSync(file) : file);
      const db = openStore(join(dir, `${name}.db`));
      const summary = await ingestPaths([join(dir, name)], { sink: createIngestSink(db), workers, now });
      expect([summary.rejects, summary.filesFailed], `${name}: ${summary.messages.join('; ')}`).toEqual([0, 0]);
      expect(summary.perFile.map((f) => f.format)).toEqual(['mde-stream']);
      expect(summary.events).toEqual({ DeviceProcessEvents: 3, DeviceNetworkEvents: 2 });
      expect(storedEvents(db), name).toEqual(expected);
      db.close();
    }
    reference.close();
  });

  it('a body that is not JSON is one reject at its record; a cut file keeps the records before the cut and says where', async () => {
    const bodies = [...messages('DeviceProcessEvents'), '{"records":[{"category":', ...messages('DeviceNetworkEvents')];
    const parsed = await parseText(tempDir(), 'capture.avro', await captureFile(bodies));
    expect(parsed.format).toBe('mde-stream');
    expect(parsed.events).toHaveLength(5);
    expect(parsed.issues.map((issue) => [issue.line, issue.message.startsWith('malformed JSON')])).toEqual([[3, true]]);
    // Named with --format, the file is still read as the Capture file it is.
    const forced = await parseText(tempDir(), 'forced.avro', await captureFile(bodies), { format: 'mde-stream' });
    expect([forced.events, forced.issues.length]).toEqual([parsed.events, 1]);

    const whole = await captureFile(bodies.map((body) => body + ' '.repeat(400)), { blockSize: 256 });
    const cut = await parseText(tempDir(), 'cut.avro', whole.subarray(0, Math.floor(whole.length * 0.7)));
    expect(cut.events.length).toBeGreaterThan(0);
    expect(cut.events.length).toBeLessThan(5);
    expect(cut.issues.at(-1)?.message).toBe('broken Event Hubs Capture file: the file ends inside a block (a truncated copy?): '
      + 'the records of that block are lost');
    // Said at the first record not read: after every record that was.
    expect(cut.issues.at(-1)?.line).toBeGreaterThan(Math.max(...cut.lines, ...cut.issues.slice(0, -1).map((issue) => issue.line)));
  });

  it('a block whose size is damaged ends the file there, with the blocks before it stored, and nothing past it held', async () => {
    const bodies = [...messages('DeviceProcessEvents'), ...messages('DeviceNetworkEvents')];
    const file = await captureFile(bodies, { blockSize: 256 });
    const sync = file.subarray(-16);
    // Blocks start after the header's sync marker; the second block's count and size become 1 and 2^40 (what follows
    // no longer matters: the size alone ends the file).
    const firstBlock = file.indexOf(sync) + 16;
    const secondBlock = file.indexOf(sync, firstBlock) + 16;
    const huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x40]; // zig-zag varint of 2^40
    const damaged = Buffer.concat([file.subarray(0, secondBlock), Buffer.from([0x02, ...huge]), file.subarray(secondBlock + 2)]);
    const parsed = await parseText(tempDir(), 'damaged.avro', damaged);
    expect(parsed.events.length).toBeGreaterThan(0);
    expect(parsed.events.length).toBeLessThan(5);
    expect(parsed.issues.map((issue) => issue.message)).toEqual([
      `broken Event Hubs Capture file: a block of 1 records in ${2 ** 40} bytes: damaged (blocks hold at most 64 MiB)`,
    ]);
  });

  it('records of no bytes cannot make a block of endless records', async () => {
    const schema: Schema = { type: 'record', name: 'EventData', fields: [{ name: 'Body', type: 'null' }] };
    const file = await captureFile([{ Body: null }] as never, { schema });
    // Its one block's record count (1, the byte after the header's sync marker) becomes 2^40.
    const block = file.indexOf(file.subarray(-16)) + 16;
    const endless = Buffer.concat([file.subarray(0, block), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x40]), file.subarray(block + 1)]);
    const parsed = await parseText(tempDir(), 'endless.avro', endless);
    expect(parsed.issues.map((issue) => issue.message)).toEqual(['broken Event Hubs Capture file: a record of no bytes: not an Event Hubs Capture record']);
  });

  it('a Body written as text is read as bytes are; one of another kind is a reject', async () => {
    const [first, second] = messages('DeviceProcessEvents');
    const schema: Schema = { type: 'record', name: 'EventData', fields: [{ name: 'Body', type: ['null', 'bytes', 'string', 'long'] }] };
    const file = await captureFile([{ Body: first }, { Body: 7 }, { Body: Buffer.from(second!) }] as never, { schema });
    const parsed = await parseText(tempDir(), 'text.avro', file);
    expect(parsed.events).toHaveLength(3);
    expect(parsed.issues.map((issue) => [issue.line, issue.message])).toEqual([[2, 'a record whose Body is neither bytes nor text: not read']]);
    const plain: Schema = { type: 'record', name: 'EventData', fields: [{ name: 'Body', type: 'string' }] };
    const text = await parseText(tempDir(), 'plain.avro', await captureFile([{ Body: first }] as never, { schema: plain }));
    expect(text.events).toHaveLength(2);
  });

  it('an Avro file of other records is said to be no Capture file', async () => {
    const other = await captureFile([{ name: 'x' }] as never, { schema: { type: 'record', name: 'Thing', fields: [{ name: 'name', type: 'string' }] } });
    const parsed = await parseText(tempDir(), 'thing.avro', other);
    expect(parsed.events).toEqual([]);
    expect(parsed.issues.map((issue) => issue.message)).toEqual([
      'broken Event Hubs Capture file: an Avro file whose records (Thing) have no Body: not an Event Hubs Capture file',
    ]);
  });
});
