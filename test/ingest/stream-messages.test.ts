// Event Hubs messages of many records (a line of them, or a Capture file's Body) are split into their records before
// they are decoded: they store what the same rows as NDJSON store, and a broken record loses only itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest';
import { SPLIT_MESSAGE_BYTES } from '../../src/ingest/stream-messages';
import { formatRows } from '../../src/simulate';
import { createIngestSink, openStore } from '../../src/store';
import { captureFile } from '../helpers/capture-avro';
import { fullRow } from '../helpers/mde-fixture-rows';
import { parseText } from '../helpers/parse-text';
import { storedEvents } from '../helpers/store-rows';
import { useTempDirs } from '../helpers/temp-dir';

const now = () => '2026-01-01T00:00:00Z';
const rows = Array.from({ length: 120 }, (_, i) => fullRow('DeviceProcessEvents', i, { ReportId: 5000 + i, ProcessId: 100 + i }));
const record = (row: unknown) => JSON.stringify({ time: '2024-05-06T00:00:00Z', category: 'AdvancedHunting-DeviceProcessEvents', properties: row });
/** The rows as messages of 40 records each: every one longer than the split threshold. */
const messages = (records: string[]) => [0, 40, 80].map((at) => `{"records":[${records.slice(at, at + 40).join(',')}]}`);

describe('long Event Hubs messages', () => {
  const tempDir = useTempDirs();

  it('as lines and as Capture bodies store what NDJSON stores, a record in Windows-1252 included', async () => {
    const dir = tempDir();
    const records = rows.map(record);
    const lines = messages(records);
    expect(Math.min(...lines.map((line) => line.length))).toBeGreaterThan(SPLIT_MESSAGE_BYTES);
    // One record's bytes in Windows-1252 (its AccountName has an ö): read as the UTF-8 row is, with a warning.
    const bytes = lines.map((line, i) => (i === 1 ? Buffer.concat([Buffer.from(line.slice(0, 20)), Buffer.from(line.slice(20), 'latin1')]) : Buffer.from(line)));
    mkdirSync(join(dir, 'ndjson'));
    mkdirSync(join(dir, 'lines'));
    mkdirSync(join(dir, 'avro'));
    writeFileSync(join(dir, 'ndjson', 'DeviceProcessEvents.json'), formatRows('mde-ndjson', 'DeviceProcessEvents', rows));
    writeFileSync(join(dir, 'lines', 'hub.json'), Buffer.concat(bytes.flatMap((line) => [line, Buffer.from('\r\n')])));
    writeFileSync(join(dir, 'avro', '00.avro'), await captureFile(bytes));
    const stored = [];
    for (const name of ['ndjson', 'lines', 'avro']) {
      const db = openStore(join(dir, `${name}.db`));
      const summary = await ingestPaths([join(dir, name)], { sink: createIngestSink(db), workers: 0, now });
      expect([summary.rejects, summary.filesFailed, summary.events.DeviceProcessEvents], name).toEqual([0, 0, 120]);
      expect(summary.warnings, name).toBe(name === 'ndjson' ? 0 : 1);
      stored.push(storedEvents(db));
      db.close();
    }
    expect(stored[1]).toEqual(stored[0]);
    expect(stored[2]).toEqual(stored[0]);
  });

  it('a broken record is one reject at its line, the message\'s other records are stored; a long line that is no message is read whole', async () => {
    const records = rows.map(record);
    records[50] = '{"category":"AdvancedHunting-DeviceProcessEvents","properties":{"Timestamp":tru}}';
    const huge = JSON.stringify(fullRow('DeviceProcessEvents', 999, { ReportId: 1, ProcessCommandLine: `cmd /c ${'x'.repeat(SPLIT_MESSAGE_BYTES)}` }));
    const text = [...messages(records), record(JSON.parse(huge))].join('\n');
    const parsed = await parseText(tempDir(), 'hub.json', text);
    expect(parsed.events).toHaveLength(120);
    expect(parsed.issues.map((issue) => [issue.line, issue.message.startsWith('malformed JSON'), issue.raw])).toEqual([[2, true, records[50]]]);
    expect(parsed.events.at(-1)?.reportId).toBe('1');
    expect(parsed.lines.filter((line) => line === 2)).toHaveLength(39);
  });
});
