// The column log beside the store: every event's columns read back whole, a killed run's stray bytes never reach a
// row, a log that lost bytes is refused rather than written around, and duplicates add no bytes.
import { appendFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBatch, ingestPaths, parseFile } from '../../src/ingest';
import { decodeColumns } from '../../src/parsers';
import { formatRows } from '../../src/simulate';
import { createIngestSink, openStore, readEventColumns, type Store } from '../../src/store';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { storedEvents } from '../helpers/store-rows';
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

  it('two connections writing in turn (the server\'s ingest beside a CLI ingest) share one log without overlap', async () => {
    const dir = tempDir();
    const rows = fixtureRows();
    const files = (['DeviceProcessEvents', 'DeviceNetworkEvents'] as const).map((table) => {
      const file = join(dir, `${table}.json`);
      writeFileSync(file, formatRows('mde-ndjson', table, rows[table]));
      return file;
    });
    const reference = openStore(join(dir, 'one.db'));
    await ingestPaths(files, { sink: createIngestSink(reference), workers: 0 });
    // One chunk per row, so that the two connections' batches alternate row by row.
    const chunksOf = async (table: 'DeviceProcessEvents' | 'DeviceNetworkEvents') => {
      const chunks = [];
      for (const [i, line] of formatRows('mde-ndjson', table, rows[table]).trimEnd().split('\n').entries()) {
        const file = join(dir, `${table}-${i}.json`);
        writeFileSync(file, line);
        for await (const event of parseFile(file, file, { format: 'auto', table: null })) {
          if (event.type === 'chunk' && event.chunk.events.length > 0) chunks.push(event.chunk);
        }
      }
      return chunks;
    };
    const [first, second] = [await chunksOf('DeviceProcessEvents'), await chunksOf('DeviceNetworkEvents')];
    const [a, b] = [openStore(join(dir, 'two.db')), openStore(join(dir, 'two.db'))];
    const [sinkA, sinkB] = [createIngestSink(a), createIngestSink(b)];
    const [runA, runB] = [sinkA.startRun('a', 'now'), sinkB.startRun('b', 'now')];
    const [sourceA, sourceB] = [sinkA.openSource(files[0]!, 'mde-ndjson', runA), sinkB.openSource(files[1]!, 'mde-ndjson', runB)];
    for (let i = 0; i < Math.max(first.length, second.length); i++) {
      if (first[i]) sinkA.writeBatch(runA, sourceA, ingestBatch(first[i]!));
      if (second[i]) sinkB.writeBatch(runB, sourceB, ingestBatch(second[i]!));
    }
    sinkA.finishRun(runA, 'ok', 'now', {});
    sinkB.finishRun(runB, 'ok', 'now', {});
    expect(Math.min(first.length, second.length)).toBeGreaterThanOrEqual(2);
    expect(storedEvents(a)).toEqual(storedEvents(reference));
    expect(statSync(join(dir, 'two.db-columns')).size).toBe(committedEnd(a));
    for (const db of [a, b, reference]) db.close();
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
