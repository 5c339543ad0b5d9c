// Bad input loses nothing and stops nothing; re-ingesting adds nothing twice; each run is recorded.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest';
import { formatRows } from '../../src/simulate';
import { createIngestSink, openStore, readStats } from '../../src/store';
import { fixtureRows, fullRow } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';

const now = () => '2026-01-01T00:00:00.000Z';

describe('ingest into the store', () => {
  const tempDir = useTempDirs();

  it('malformed-lines-kept-in-rejects: counted, reported as file:line: reason, raw text kept', async () => {
    const dir = tempDir();
    const rows = fixtureRows().DeviceProcessEvents;
    const good = formatRows('mde-ndjson', 'DeviceProcessEvents', rows).trimEnd().split('\n');
    const file = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(file, [good[0], '{"oops":', good[1], '{"Timestamp":"never","DeviceId":"x"}', good[2]].join('\n'));
    const db = openStore(join(dir, 'l.db'));
    const summary = await ingestPaths([file], { sink: createIngestSink(db), workers: 0, now });
    expect(summary.events.DeviceProcessEvents).toBe(3);
    expect(summary.rejects).toBe(2);
    expect(summary.messages).toEqual([
      expect.stringMatching(/DeviceProcessEvents\.json:2: malformed JSON/),
      `${file}:4: Timestamp: not a time: "never"`,
    ]);
    const rejects = db.prepare('SELECT line, reason, raw FROM rejects ORDER BY line').all();
    expect(rejects).toEqual([
      { line: 2, reason: expect.stringMatching(/^malformed JSON/), raw: '{"oops":' },
      { line: 4, reason: 'Timestamp: not a time: "never"', raw: '{"Timestamp":"never","DeviceId":"x"}' },
    ]);
    expect(readStats(db).rejects).toBe(2);
  });

  it('deeply-nested-row: a row nested too deep to walk is one reject in a line file and in a document; the rest ingests', async () => {
    const dir = tempDir();
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const [a, b, c] = [fullRow('DeviceProcessEvents', 1), fullRow('DeviceProcessEvents', 2), fullRow('DeviceProcessEvents', 3)];
    // Written as text: JSON.stringify itself cannot walk such a value.
    const nested = JSON.stringify({ ...b, AdditionalFields: 'DEEP' }).replace('"DEEP"', deep);
    const rows = [JSON.stringify(a), nested, JSON.stringify(c)];
    writeFileSync(join(dir, 'lines-DeviceProcessEvents.json'), rows.join('\n'));
    writeFileSync(join(dir, 'document-DeviceProcessEvents.json'), `{"Schema":[],"Results":[${rows.join(',')}]}`);
    const csv = formatRows('mde-csv', 'DeviceProcessEvents', [a, { ...b, AdditionalFields: deep }, c]);
    writeFileSync(join(dir, 'cells-DeviceProcessEvents.csv'), csv);
    for (const workers of [0, 1]) {
      const db = openStore(join(dir, `l${workers}.db`));
      const summary = await ingestPaths([dir], { sink: createIngestSink(db), workers, now, skip: [join(dir, `l${workers}.db`)] });
      expect(summary.filesFailed).toBe(0);
      // The CSV (read first) holds the same text in a cell, where it is only text: all three rows stored from it.
      expect(summary.events.DeviceProcessEvents).toBe(3);
      expect(summary.duplicates).toBe(4);
      const rejects = db.prepare('SELECT s.path, r.line, r.reason FROM rejects r JOIN sources s ON s.id = r.source ORDER BY s.path').all() as
        Array<{ path: string; line: number; reason: string }>;
      expect(rejects.map((r) => [basename(r.path), r.line, r.reason.startsWith('not read: Maximum call stack size exceeded')]))
        .toEqual([['document-DeviceProcessEvents.json', 2, true], ['lines-DeviceProcessEvents.json', 2, true]]);
      db.close();
    }
  });

  it('a line over 64 MiB (a corrupt stretch with no line end) is one reject with its first bytes; the lines around it ingest', async () => {
    const dir = tempDir();
    const good = formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents).trimEnd().split('\n');
    const file = join(dir, 'DeviceProcessEvents.json');
    const corrupt = Buffer.alloc(65 * 2 ** 20, 0); // NUL bytes, as a crash can leave at a file's end
    corrupt.write('{"Timestamp":"2024-01-01T00:00:00Z"', 0);
    writeFileSync(file, Buffer.concat([Buffer.from(`${good[0]}\n`), corrupt, Buffer.from(`\n${good[1]}\n${good[2]}\n`)]));
    for (const workers of [0, 1]) {
      const db = openStore(join(dir, `l${workers}.db`));
      const summary = await ingestPaths([file], { sink: createIngestSink(db), workers, now });
      expect(summary.events.DeviceProcessEvents, `workers ${workers}`).toBe(3);
      expect(summary.rejects).toBe(1);
      expect(summary.messages).toEqual([
        `${file}:2: 68,157,440 bytes without a line end, over the 64 MiB limit: skipped (the first 1024 bytes are kept)`,
      ]);
      const [reject] = db.prepare('SELECT line, raw FROM rejects').all() as Array<{ line: number; raw: string }>;
      expect(reject?.line).toBe(2);
      expect(reject?.raw).toBe(corrupt.toString('utf8', 0, 1024));
      expect(db.prepare('SELECT line FROM process_events ORDER BY line').pluck().all()).toEqual([1, 3, 4]);
      db.close();
    }
  });

  it('a truncated gzip file fails by name and cause, keeping the rows before the cut, on either side of the worker boundary', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 6_000 }, (_, i) => JSON.stringify(fullRow('DeviceProcessEvents', i % 5, { ReportId: i, ProcessId: 4 * i })));
    const whole = gzipSync(`${rows.join('\n')}\n`);
    const file = join(dir, 'DeviceProcessEvents.json.gz');
    writeFileSync(file, whole.subarray(0, whole.length >> 1));
    for (const workers of [0, 1]) {
      const db = openStore(join(dir, `l${workers}.db`));
      const summary = await ingestPaths([file], { sink: createIngestSink(db), workers, now });
      expect(summary.filesFailed, `workers ${workers}`).toBe(1);
      expect(summary.messages).toEqual([`ingest: ${file}: the gzip data ends early (a truncated copy?); the rows before the cut are stored`]);
      const stored = summary.events.DeviceProcessEvents;
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(rows.length);
      expect(db.prepare('SELECT line FROM process_events ORDER BY line').pluck().all()).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
      db.close();
    }
  });

  it('a store write that fails ends the run with that error, every lane stopped, the run recorded as failed', async () => {
    const dir = tempDir();
    const paths = [0, 1, 2].map((n) => {
      const path = join(dir, `DeviceProcessEvents-${n}.json`);
      writeFileSync(path, Array.from({ length: 3_000 }, (_, i) => JSON.stringify(fullRow('DeviceProcessEvents', i % 5, { ReportId: n * 10_000 + i }))).join('\n'));
      return path;
    });
    for (const workers of [0, 2]) {
      const db = openStore(join(dir, `l${workers}.db`));
      const sink = createIngestSink(db);
      let writes = 0;
      const failing = { ...sink, writeBatch: (...args: Parameters<typeof sink.writeBatch>) => {
        if (++writes === 2) throw new Error('disk full');
        return sink.writeBatch(...args);
      } };
      await expect(ingestPaths(paths, { sink: failing, workers, batchSize: 500, now })).rejects.toThrow('disk full');
      expect(writes, `workers ${workers}`).toBe(2);
      expect(readStats(db).lastRuns[0]?.status).toBe('failed');
      db.close();
    }
  });

  it('a folder read two files at a time (worker and main thread) reports what one file at a time reports, in file order', async () => {
    const dir = tempDir();
    const folder = join(dir, 'export');
    mkdirSync(folder);
    const rows = fixtureRows();
    const lines = (table: 'DeviceProcessEvents' | 'DeviceNetworkEvents') => formatRows('mde-ndjson', table, rows[table]).trimEnd().split('\n');
    writeFileSync(join(folder, 'a-DeviceProcessEvents.json'), [lines('DeviceProcessEvents')[0], '{"oops":'].join('\n'));
    writeFileSync(join(folder, 'b-notes.txt'), 'not a log');
    writeFileSync(join(folder, 'c-DeviceNetworkEvents.json'), ['{"broken', ...lines('DeviceNetworkEvents')].join('\n'));
    writeFileSync(join(folder, 'd-DeviceProcessEvents.csv'), formatRows('mde-csv', 'DeviceProcessEvents', rows.DeviceProcessEvents.slice(1)));
    const comparable = ({ runId: _r, seconds: _s, eventsPerSecond: _e, ...rest }: Awaited<ReturnType<typeof ingestPaths>>) => rest;
    const oneAtATime = await ingestPaths([folder], { sink: createIngestSink(openStore(join(dir, 'one.db'))), workers: 0, now });
    const twoAtATime = await ingestPaths([folder], { sink: createIngestSink(openStore(join(dir, 'two.db'))), workers: 1, now });
    expect(comparable(twoAtATime)).toEqual(comparable(oneAtATime));
    const names = ['a-DeviceProcessEvents.json', 'b-notes.txt', 'c-DeviceNetworkEvents.json', 'd-DeviceProcessEvents.csv'];
    expect(twoAtATime.perFile.map((f) => basename(f.path))).toEqual(names);
    expect(twoAtATime.messages.map((message) => names.find((name) => message.includes(name)))).toEqual(names.slice(0, 3));
    expect([twoAtATime.rejects, twoAtATime.filesPassedOver, twoAtATime.events.DeviceProcessEvents]).toEqual([2, 1, rows.DeviceProcessEvents.length]);
  });

  it('skipped kinds named by the input: every record counted, a name like __proto__ included, and only so many named', async () => {
    const dir = tempDir();
    const record = (table: string) => JSON.stringify({ category: `AdvancedHunting-${table}`, properties: { Timestamp: '2024-01-01T10:00:00Z', DeviceId: 'd1' } });
    // Table names come from the input: 5,000 distinct ones, and one that is the name of Object.prototype's accessor.
    const lines = [record('__proto__'), record('__proto__'), ...Array.from({ length: 5000 }, (_, i) => record(`DeviceFake${i}Events`))];
    const file = join(dir, 'PT1H.json');
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    for (const workers of [0, 1]) {
      const db = openStore(join(dir, `k${workers}.db`));
      const summary = await ingestPaths([file], { sink: createIngestSink(db), workers, now });
      expect(summary.skipped).toBe(5002);
      expect(Object.values(summary.skippedByTable).reduce((a, b) => a + b, 0)).toBe(5002);
      expect(Object.keys(summary.skippedByTable)).toHaveLength(101);
      expect(summary.skippedByTable).toMatchObject({ ['__proto__']: 2, 'other kinds': 4901 });
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      db.close();
    }
  });

  it('re-ingest-adds-nothing: the same file, and an overlapping export in another format, are duplicates', async () => {
    const dir = tempDir();
    const rows = fixtureRows();
    const ndjson = join(dir, 'DeviceNetworkEvents.json');
    const csv = join(dir, 'DeviceNetworkEvents.csv');
    writeFileSync(ndjson, formatRows('mde-ndjson', 'DeviceNetworkEvents', rows.DeviceNetworkEvents));
    writeFileSync(csv, formatRows('mde-csv', 'DeviceNetworkEvents', rows.DeviceNetworkEvents));
    const db = openStore(join(dir, 'l.db'));
    const first = await ingestPaths([ndjson], { sink: createIngestSink(db), workers: 0, now });
    const again = await ingestPaths([ndjson], { sink: createIngestSink(db), workers: 0, now });
    const overlap = await ingestPaths([csv], { sink: createIngestSink(db), workers: 0, now });
    expect(first.events.DeviceNetworkEvents).toBe(2);
    expect([again.events.DeviceNetworkEvents, again.duplicates]).toEqual([0, 2]);
    expect([overlap.events.DeviceNetworkEvents, overlap.duplicates]).toEqual([0, 2]);
    expect(readStats(db).events.DeviceNetworkEvents).toBe(2);
  });

  it('an overlapping export at another precision: a portal CSV\'s milliseconds and a converter\'s microseconds are duplicates, in either order', async () => {
    const dir = tempDir();
    const rows = fixtureRows().DeviceNetworkEvents; // Timestamps 2024-03-26T09:39:51.7688641Z and ...52.7688642Z
    const write = (name: string, format: 'mde-ndjson' | 'mde-csv', timestamp: (time: string) => string) => {
      const file = join(dir, name);
      writeFileSync(file, formatRows(format, 'DeviceNetworkEvents', rows.map((row) => ({ ...row, Timestamp: timestamp(row.Timestamp as string) }))));
      return file;
    };
    const fine = write('fine.json', 'mde-ndjson', (time) => time);
    // The portal writes the browser's regional form, to the millisecond (cut, as a JavaScript Date cuts).
    const regional = write('regional.csv', 'mde-csv', (time) => `3/26/2024, 9:39:${time.slice(17, 23)} AM`);
    const micro = write('micro.json', 'mde-ndjson', (time) => `${time.slice(0, 26)}Z`);
    // The same ReportId two seconds later is another event, even on a device with coarse times.
    const later = write('later.json', 'mde-ndjson', (time) => time.replace(/:(\d\d)\./, (_, s: string) => `:${Number(s) + 2}.`));
    const counts = async (db: ReturnType<typeof openStore>, file: string) => {
      const summary = await ingestPaths([file], { sink: createIngestSink(db), workers: 0, now });
      expect(summary.rejects).toBe(0);
      return [summary.events.DeviceNetworkEvents, summary.duplicates];
    };
    const db = openStore(join(dir, 'a.db'));
    expect(await counts(db, fine)).toEqual([2, 0]);
    expect(await counts(db, regional)).toEqual([0, 2]);
    expect(await counts(db, micro)).toEqual([0, 2]);
    expect(await counts(db, later)).toEqual([2, 0]);
    const other = openStore(join(dir, 'b.db'));
    expect(await counts(other, regional)).toEqual([2, 0]);
    expect(await counts(other, micro)).toEqual([0, 2]);
    expect(await counts(other, fine)).toEqual([0, 2]);
    expect(readStats(other).events.DeviceNetworkEvents).toBe(2);
  });

  it('rows-without-report-id dedup by content', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.json');
    const rows = fixtureRows().DeviceProcessEvents.map((row) => ({ ...row, ReportId: null }));
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', rows));
    const db = openStore(join(dir, 'l.db'));
    await ingestPaths([file], { sink: createIngestSink(db), workers: 0, now });
    const again = await ingestPaths([file], { sink: createIngestSink(db), workers: 0, now });
    expect(readStats(db).events.DeviceProcessEvents).toBe(3);
    expect(again.duplicates).toBe(3);
  });

  it('folders-recursed: stray files inside are passed over, named files that are not logs fail', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'in', 'nested', 'DeviceProcessEvents.json'), formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    writeFileSync(join(dir, 'in', 'README.md'), '# notes\n');
    writeFileSync(join(dir, 'in', '.hidden.json'), 'garbage');
    const db = openStore(join(dir, 'l.db'));
    const folder = await ingestPaths([join(dir, 'in')], { sink: createIngestSink(db), workers: 0, now });
    expect(folder.files).toBe(2);
    expect([folder.filesFailed, folder.filesPassedOver]).toEqual([0, 1]);
    expect(folder.events.DeviceProcessEvents).toBe(3);
    const named = await ingestPaths([join(dir, 'in', 'README.md'), join(dir, 'missing.json')], { sink: createIngestSink(db), workers: 0, now });
    expect(named.filesFailed).toBe(2);
    expect(named.messages).toEqual([
      `ingest: ${join(dir, 'missing.json')}: no such file or folder`,
      expect.stringMatching(/README\.md: not a recognised format \(tried: mde-ndjson, mde-stream, mde-api-json, mde-csv, windows-events\)/),
    ]);
  });

  it('folder-links: links in a folder are read, each place once; broken links and loops are failures; an empty folder is named', async () => {
    const dir = tempDir();
    const rows = fixtureRows();
    mkdirSync(join(dir, 'exports', 'net'), { recursive: true });
    mkdirSync(join(dir, 'in'));
    mkdirSync(join(dir, 'nothing'));
    writeFileSync(join(dir, 'exports', 'DeviceProcessEvents.json'), formatRows('mde-ndjson', 'DeviceProcessEvents', rows.DeviceProcessEvents));
    writeFileSync(join(dir, 'exports', 'net', 'DeviceNetworkEvents.json'), formatRows('mde-ndjson', 'DeviceNetworkEvents', rows.DeviceNetworkEvents));
    symlinkSync(join(dir, 'exports', 'DeviceProcessEvents.json'), join(dir, 'in', 'a-process.json'));
    symlinkSync(join(dir, 'exports', 'net'), join(dir, 'in', 'b-net'));
    symlinkSync(join(dir, 'exports', 'net'), join(dir, 'in', 'c-net-again'));
    symlinkSync(join(dir, 'in'), join(dir, 'in', 'd-up'));
    symlinkSync(join(dir, 'gone.json'), join(dir, 'in', 'e-broken.json'));
    symlinkSync(join(dir, 'in', 'f-self'), join(dir, 'in', 'f-self'));
    const db = openStore(join(dir, 'l.db'));
    const summary = await ingestPaths([join(dir, 'in'), join(dir, 'nothing'), join(dir, 'in')], { sink: createIngestSink(db), workers: 0, now });
    expect(summary.perFile.map((file) => basename(file.path))).toEqual(['e-broken.json', 'f-self', 'a-process.json', 'DeviceNetworkEvents.json']);
    expect(summary.events).toEqual({ DeviceProcessEvents: rows.DeviceProcessEvents.length, DeviceNetworkEvents: rows.DeviceNetworkEvents.length });
    expect(summary.duplicates).toBe(0);
    expect(summary.filesFailed).toBe(2);
    expect(summary.messages).toEqual([
      `ingest: ${join(dir, 'in', 'e-broken.json')}: a broken link (its target does not exist)`,
      `ingest: ${join(dir, 'in', 'f-self')}: a link loop`,
      `ingest: ${join(dir, 'nothing')}: the folder holds no file to read`,
    ]);
  });

  it('runs-recorded: command, status, counts and duration of each run', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    const db = openStore(join(dir, 'l.db'));
    await ingestPaths([file], { sink: createIngestSink(db), workers: 0, now, command: 'ingest x' });
    const [run] = readStats(db).lastRuns;
    expect(run).toMatchObject({ status: 'ok', command: 'ingest x', startedAt: now(), finishedAt: now() });
    expect(run?.summary).toMatchObject({ files: 1, events: { DeviceProcessEvents: 3 }, perFile: [{ path: file, format: 'mde-ndjson' }] });
    expect(typeof (run?.summary as { seconds: unknown }).seconds).toBe('number');
  });
});
