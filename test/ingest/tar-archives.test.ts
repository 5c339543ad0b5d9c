// Tar archives (plain or gzipped, from a file or stdin) are read entry by entry, each entry a source of its own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { formatRows } from '../../src/simulate';
import { createIngestSink, openStore } from '../../src/store';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { storedEvents } from '../helpers/store-rows';
import { useTempDirs } from '../helpers/temp-dir';
import { writeTar } from '../helpers/write-tar';

const now = () => '2026-01-01T00:00:00Z';

describe('tar archives', () => {
  const tempDir = useTempDirs();

  it('store what the same files in a folder store, plain or gzipped; folders, hidden entries and stray files passed over', async () => {
    const dir = tempDir();
    const rows = fixtureRows();
    const process = formatRows('mde-ndjson', 'DeviceProcessEvents', rows.DeviceProcessEvents);
    const network = formatRows('mde-csv', 'DeviceNetworkEvents', rows.DeviceNetworkEvents);
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'folder', 'DeviceProcessEvents.json'), process);
    writeFileSync(join(dir, 'folder', 'DeviceNetworkEvents.csv'), network);
    const reference = openStore(join(dir, 'folder.db'));
    await ingestPaths([join(dir, 'folder')], { sink: createIngestSink(reference), workers: 0, now });
    const expected = storedEvents(reference);
    expect(expected).toHaveLength(5);
    // A README bigger than the bytes format detection reads, so its rest must be passed over before the next header.
    const longFolder = `exports/${'deep-'.repeat(25)}folder`;
    const archive = writeTar([
      { name: 'exports/' }, { name: 'exports/README.txt', data: 'notes '.repeat(30_000) },
      { name: 'exports/._DeviceProcessEvents.json', data: 'macOS resource fork' },
      { name: `${longFolder}/DeviceProcessEvents.json`, data: process }, { name: 'exports/DeviceNetworkEvents.csv', data: network },
    ]);
    writeFileSync(join(dir, 'exports.tar'), archive);
    writeFileSync(join(dir, 'exports.tgz'), gzipSync(archive));
    for (const [name, workers] of [['exports.tar', 0], ['exports.tgz', 1]] as const) {
      const db = openStore(join(dir, `${name}.db`));
      const summary = await ingestPaths([join(dir, name)], { sink: createIngestSink(db), workers, now });
      expect([summary.files, summary.rejects, summary.filesFailed], summary.messages.join('; ')).toEqual([1, 0, 0]);
      expect(summary.events).toEqual({ DeviceProcessEvents: 3, DeviceNetworkEvents: 2 });
      expect(summary.messages).toEqual([`ingest: ${join(dir, name)}!exports/README.txt: not a recognised format `
        + '(tried: mde-ndjson, mde-stream, mde-api-json, mde-csv, windows-events); passed over']);
      expect(storedEvents(db), name).toEqual(expected);
      const sources = db.prepare('SELECT path, format FROM sources ORDER BY id').all();
      expect(sources).toEqual([
        { path: `${join(dir, name)}!${longFolder}/DeviceProcessEvents.json`, format: 'mde-ndjson' },
        { path: `${join(dir, name)}!exports/DeviceNetworkEvents.csv`, format: 'mde-csv' },
      ]);
      db.close();
    }
    reference.close();
  });

  it('a cut archive keeps what came before the cut, as a cut gzip does, and fails the file saying so', async () => {
    const dir = tempDir();
    const rows = fixtureRows();
    const archive = writeTar(TABLE_NAMES.map((table) => ({ name: `${table}.json`, data: formatRows('mde-ndjson', table, rows[table]) })));
    writeFileSync(join(dir, 'cut.tar'), archive.subarray(0, archive.length - 1024 - 700));
    const db = openStore(join(dir, 'cut.db'));
    const summary = await ingestPaths([join(dir, 'cut.tar')], { sink: createIngestSink(db), workers: 0, now });
    // The cut falls inside the second network row: the first is stored, the cut one is a reject.
    expect(summary.events).toEqual({ DeviceProcessEvents: 3, DeviceNetworkEvents: 1 });
    expect(summary.filesFailed).toBe(1);
    expect(summary.messages).toEqual([
      expect.stringMatching(/cut\.tar!DeviceNetworkEvents\.json:2: malformed JSON/),
      `ingest: ${join(dir, 'cut.tar')}: broken tar archive: it ends inside DeviceNetworkEvents.json (a truncated copy?): the entries before it are read`,
    ]);
  });
});
