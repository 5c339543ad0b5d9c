// The column log beside the store: every event's columns read back whole, a killed run's stray bytes never reach a
// row, a log that lost bytes is refused rather than written around, and duplicates add no bytes.
import { appendFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest';
import { decodeColumns } from '../../src/parsers';
import { formatRows } from '../../src/simulate';
import { createIngestSink, openStore, readEventColumns, type Store } from '../../src/store';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';

const committedEnd = (db: Store): number => db.prepare('SELECT committed_end FROM column_log').pluck().get() as number;
const commandLines = (db: Store): string[] => (db.prepare('SELECT id FROM process_events ORDER BY id').pluck().all() as number[])
  .map((id) => String(decodeColumns('DeviceProcessEvents', readEventColumns(db, 'DeviceProcessEvents', id) ?? '').ProcessCommandLine));

describe('column log', () => {
  const tempDir = useTempDirs();

  function processFile(dir: string): string {
    const file = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    return file;
  }

  it('bytes past the committed end (a killed run) are overwritten by the next run and cut at its end', async () => {
    const dir = tempDir();
    const file = processFile(dir);
    const reference = openStore(':memory:');
    await ingestPaths([file], { sink: createIngestSink(reference), workers: 0 });
    const db = openStore(join(dir, 'store.db'));
    committedEnd(db); // the log table exists from the first open
    appendFileSync(join(dir, 'store.db-columns'), 'x'.repeat(1 << 20));
    await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
    expect(commandLines(db)).toEqual(commandLines(reference));
    expect(commandLines(db).length).toBeGreaterThan(0);
    expect(statSync(join(dir, 'store.db-columns')).size).toBe(committedEnd(db));
    db.close();
    reference.close();
  });

  it('re-ingest adds no bytes: duplicates never reach the log', async () => {
    const dir = tempDir();
    const file = processFile(dir);
    const db = openStore(join(dir, 'store.db'));
    await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
    const end = committedEnd(db);
    expect(end).toBeGreaterThan(0);
    const again = await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
    expect(again.duplicates).toBeGreaterThan(0);
    expect(committedEnd(db)).toBe(end);
    expect(statSync(join(dir, 'store.db-columns')).size).toBe(end);
    db.close();
  });

  it('a truncated log is refused before anything is written; a missing one is named when read', async () => {
    const dir = tempDir();
    const file = processFile(dir);
    const db = openStore(join(dir, 'store.db'));
    await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
    const before = db.prepare('SELECT count(*) FROM process_events').pluck().get();
    truncateSync(join(dir, 'store.db-columns'), 10);
    await expect(ingestPaths([file], { sink: createIngestSink(db), workers: 0 })).rejects.toMatchObject({ code: 'store_damaged' });
    expect(db.prepare('SELECT count(*) FROM process_events').pluck().get()).toBe(before);
    const lastId = db.prepare('SELECT max(id) FROM process_events').pluck().get() as number;
    expect(() => readEventColumns(db, 'DeviceProcessEvents', lastId)).toThrow(/ends before byte/);
    db.close();
    rmSync(join(dir, 'store.db-columns'));
    const readOnly = openStore(join(dir, 'store.db'), { readonly: true });
    expect(() => readEventColumns(readOnly, 'DeviceProcessEvents', lastId)).toThrow(/column log .* is missing/);
    readOnly.close();
  });
});
