// Migrations carry a store forward without losing anything: a store written at schema v6 (every source column in
// the event row) opens at the current version with the same events, each with its columns.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest';
import { decodeColumns } from '../../src/parsers';
import { formatRows } from '../../src/simulate';
import { createIngestSink, MIGRATIONS, openStore, readEventColumns, readStats } from '../../src/store';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { storedEvents } from '../helpers/store-rows';
import { useTempDirs } from '../helpers/temp-dir';

describe('store migrations', () => {
  const tempDir = useTempDirs();

  it('v6-to-current: the columns move to their own table, then to the column log; nothing lost, re-ingest still adds nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    // The reference: a store made at the current version.
    const current = openStore(join(dir, 'current.db'));
    await ingestPaths([file], { sink: createIngestSink(current), workers: 0 });
    // A v6 store, written the way v6 wrote rows (columns in the event row), from the reference's rows.
    const old = new Database(join(dir, 'old.db'));
    for (const migration of MIGRATIONS.filter((m) => m.version <= 6)) old.exec(migration.sql);
    old.pragma('user_version = 6');
    old.exec(`ATTACH DATABASE '${join(dir, 'current.db').replaceAll("'", "''")}' AS cur`);
    old.exec('INSERT INTO devices SELECT * FROM cur.devices; INSERT INTO sources SELECT * FROM cur.sources; INSERT INTO runs SELECT * FROM cur.runs');
    const names = (old.prepare("SELECT name FROM pragma_table_info('process_events') WHERE name <> 'columns'").pluck().all() as string[]).join(', ');
    const v6Names = names.split(', ');
    const insertOld = old.prepare(`INSERT INTO process_events (${v6Names.join(', ')}, columns) VALUES (${v6Names.map(() => '?').join(', ')}, ?)`);
    for (const row of old.prepare(`SELECT ${v6Names.join(', ')}, id AS event_id FROM cur.process_events`).safeIntegers().all() as Record<string, unknown>[]) {
      const { event_id: eventId, ...values } = row;
      insertOld.run(...Object.values(values), Buffer.from(readEventColumns(current, 'DeviceProcessEvents', Number(eventId)) ?? '', 'utf8'));
    }
    old.exec('DETACH DATABASE cur');
    old.close();
    const migrated = openStore(join(dir, 'old.db'));
    expect(readStats(migrated).schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
    expect(storedEvents(migrated)).toEqual(storedEvents(current));
    const firstId = migrated.prepare('SELECT min(id) FROM process_events').pluck().get() as number;
    expect(decodeColumns('DeviceProcessEvents', readEventColumns(migrated, 'DeviceProcessEvents', firstId) ?? '')).toHaveProperty('ProcessCommandLine');
    const again = await ingestPaths([file], { sink: createIngestSink(migrated), workers: 0 });
    expect([again.events.DeviceProcessEvents, again.duplicates]).toEqual([0, 3]);
    migrated.close();
    current.close();
  });

  it('v14-to-current: the devices with coarse times are found in the rows already stored, so a finer export of them is a duplicate', async () => {
    const dir = tempDir();
    const rows = fixtureRows().DeviceProcessEvents;
    const coarse = join(dir, 'coarse.json');
    const fine = join(dir, 'fine.json');
    writeFileSync(coarse, formatRows('mde-ndjson', 'DeviceProcessEvents', rows.map((row) => ({ ...row, Timestamp: `${(row.Timestamp as string).slice(0, 23)}Z` }))));
    writeFileSync(fine, formatRows('mde-ndjson', 'DeviceProcessEvents', rows));
    const path = join(dir, 'l.db');
    const store = openStore(path);
    await ingestPaths([coarse], { sink: createIngestSink(store), workers: 0 });
    // As v14 left it: no table of time resolutions.
    store.exec('DROP TABLE time_resolutions');
    store.pragma('user_version = 14');
    store.close();
    const migrated = openStore(path);
    expect(migrated.prepare('SELECT resolution FROM time_resolutions').pluck().all()).toEqual([10_000]);
    const again = await ingestPaths([fine], { sink: createIngestSink(migrated), workers: 0 });
    expect([again.events.DeviceProcessEvents, again.duplicates]).toEqual([0, 3]);
    migrated.close();
  });
});
