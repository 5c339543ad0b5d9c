// Large plain line files are split into byte ranges that several parse workers read at once; the writer writes the
// ranges in file order. Whatever the split, the store must come out as a one-thread read of the whole file makes it.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest';
import { planRanges } from '../../src/ingest/plan-ranges';
import { createIngestSink, openStore, type Store } from '../../src/store';
import { corpusFile, HAS_CORPUS } from '../helpers/corpus';
import { fullRow } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';

function processLine(i: number): string {
  return JSON.stringify(fullRow('DeviceProcessEvents', i, { ReportId: 10_000 + i, ProcessId: 4000 + i }));
}

/**
 * An NDJSON file of `rows` process rows and every irregularity a range boundary could cut through: malformed lines,
 * blank lines, CRLF endings, a line much longer than a range, repeated rows (duplicates), lines in Windows-1252 (warned).
 */
function messyFile(path: string, rows: number): void {
  const out: Array<string | Buffer> = [];
  for (let i = 0; i < rows; i++) {
    if (i % 37 === 5) out.push('{"broken');
    if (i % 23 === 0) out.push('', '   ');
    if (i === rows >> 1) out.push(JSON.stringify(fullRow('DeviceProcessEvents', i, { ReportId: 99_999, AdditionalFields: JSON.stringify({ pad: 'p'.repeat(20_000) }) })));
    if (i % 41 === 7) out.push(processLine(i - 1));
    const line = processLine(i) + (i % 3 === 0 ? '\r' : '');
    out.push(i % 29 === 3 ? Buffer.from(line, 'latin1') : line);
  }
  writeFileSync(path, Buffer.concat(out.flatMap((line) => [Buffer.from(line), Buffer.from('\n')])));
}

/** Everything a run stored: rows in id order with where their columns sit, rejects, sources. */
function storeState(db: Store) {
  const rows = db.prepare(`SELECT id, device, ts, ident, source, line, columns_at, columns_length, cmdline FROM process_events ORDER BY id`)
    .safeIntegers().all();
  const rejects = db.prepare('SELECT s.path, r.line, r.reason, r.raw FROM rejects r JOIN sources s ON s.id = r.source ORDER BY r.id').all();
  const sources = db.prepare('SELECT id, path, format FROM sources ORDER BY id').all();
  return { rows, rejects, sources };
}

/**
 * What a run stored from each file, in the order it was stored. Two files of one run are read side by side, so only
 * the order within a file is fixed, not how the files' rows interleave.
 */
function perFileState(db: Store) {
  const rows = db.prepare(`SELECT s.path, e.ts, e.ident, e.line, e.cmdline FROM process_events e JOIN sources s ON s.id = e.source
    ORDER BY s.path, e.id`).safeIntegers().all();
  const rejects = db.prepare('SELECT s.path, r.line, r.reason, r.raw FROM rejects r JOIN sources s ON s.id = r.source ORDER BY s.path, r.line').all();
  return { rows, rejects };
}

async function ingestWith(dir: string, name: string, paths: string[], workers: number) {
  const db = openStore(join(dir, name));
  const summary = await ingestPaths(paths, { sink: createIngestSink(db), workers, rangeBytes: 4096, now: () => '2026-01-01T00:00:00Z' });
  const state = storeState(db);
  const perFile = perFileState(db);
  db.close();
  const { seconds: _s, eventsPerSecond: _e, ...rest } = summary;
  return { summary: rest, state, perFile, log: readFileSync(join(dir, `${name}-columns`)) };
}

/** Ingests `path` whole on one thread and split between two workers; asserts both stored the same; returns the whole-file run. */
async function expectSplitStoresAsWhole(dir: string, path: string) {
  const one = await ingestWith(dir, 'one.db', [path], 0);
  const split = await ingestWith(dir, 'split.db', [path], 2);
  expect(split.summary).toEqual(one.summary);
  expect(split.state).toEqual(one.state);
  expect(split.log.equals(one.log)).toBe(true);
  return one;
}

/**
 * Windows events as XML, as Event Viewer saves them: an `<Events>` root, CRLF between events, and what a range boundary
 * could cut through: events without an EventID (rejects), repeated events (duplicates), an event longer than a range.
 */
function messyXml(path: string, events: number): void {
  const event = (n: number, pad = '') => `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/>`
    + `<EventID>1</EventID><TimeCreated SystemTime="2021-04-26T15:16:04.0471222Z"/><EventRecordID>${n}</EventRecordID>`
    + `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WS01</Computer></System><EventData>`
    + `<Data Name="UtcTime">2021-04-26 15:${String(n % 60).padStart(2, '0')}:04.046</Data><Data Name="ProcessGuid">{p${n}}</Data>`
    + `<Data Name="ProcessId">${1000 + n}</Data><Data Name="Image">C:\\Windows\\System32\\cmd.exe</Data>`
    + `<Data Name="CommandLine">cmd.exe /c echo ${n}${pad}</Data></EventData></Event>`;
  const out: string[] = [];
  for (let i = 0; i < events; i++) {
    if (i % 37 === 5) out.push('<Event xmlns="x"><System><Channel>Security</Channel></System></Event>');
    if (i === events >> 1) out.push(event(99_999, 'p'.repeat(20_000)));
    if (i % 41 === 7) out.push(event(i - 1));
    out.push(event(i));
  }
  writeFileSync(path, `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${out.join('\r\n')}\r\n</Events>\r\n`);
}

describe('a file split between parse workers', () => {
  const tempDir = useTempDirs();

  it('plans ranges that start at line starts and cover the file, and only for plain line files', () => {
    const dir = tempDir();
    const path = join(dir, 'DeviceProcessEvents.json');
    messyFile(path, 200);
    const bytes = readFileSync(path);
    const options = { format: 'auto' as const, table: null };
    const ranges = planRanges(path, options, 4096);
    expect(ranges).not.toBeNull();
    expect(ranges!.length).toBeGreaterThan(20);
    expect(ranges![0]!.start).toBe(0);
    expect(ranges![ranges!.length - 1]!.end).toBeNull();
    ranges!.forEach((range, i) => {
      if (i > 0) expect(bytes[range.start - 1]).toBe(10);
      if (range.end !== null) expect(range.end).toBe(ranges![i + 1]!.start);
    });
    writeFileSync(join(dir, 'a.json.gz'), gzipSync(bytes));
    expect(planRanges(join(dir, 'a.json.gz'), options, 4096)).toBeNull();
    // UTF-16 is transcoded as it streams: byte offsets in it are no UTF-8 line starts, even with the format forced.
    writeFileSync(join(dir, 'a16.json'), Buffer.from(`\uFEFF${bytes.toString('utf8')}`, 'utf16le'));
    expect(planRanges(join(dir, 'a16.json'), { format: 'mde-ndjson', table: null }, 4096)).toBeNull();
    writeFileSync(join(dir, 'a.csv'), `Timestamp,DeviceId\n${'2024-01-01T00:00:00Z,d\n'.repeat(1000)}`);
    expect(planRanges(join(dir, 'a.csv'), options, 4096)).toBeNull();
    expect(planRanges(path, options, bytes.length)).toBeNull();
  });

  it('stores what one thread reading the whole file stores: rows in the same order, lines, rejects, column log, summary', async () => {
    const dir = tempDir();
    const big = join(dir, 'DeviceProcessEvents.json');
    messyFile(big, 300);
    const one = await expectSplitStoresAsWhole(dir, big);
    expect(one.summary.rejects).toBe(8);
    expect(one.summary.duplicates).toBe(8);
    expect(one.summary.events.DeviceProcessEvents).toBe(301);
    expect(one.summary.warnings).toBe(11); // the Windows-1252 lines, each at its own line number in both runs
  });

  it('splits Windows XML at event ends, and stores what one thread reading it whole stores', async () => {
    const dir = tempDir();
    const xml = join(dir, 'sysmon.xml');
    messyXml(xml, 300);
    const bytes = readFileSync(xml);
    const ranges = planRanges(xml, { format: 'auto', table: null }, 4096)!;
    expect(ranges.length).toBeGreaterThan(20);
    ranges.slice(1).forEach((range) => expect(bytes.subarray(range.start - 8, range.start).toString()).toBe('</Event>'));
    const one = await expectSplitStoresAsWhole(dir, xml);
    expect([one.summary.rejects, one.summary.duplicates, one.summary.events.DeviceProcessEvents]).toEqual([8, 8, 301]);
  });

  it.skipIf(!HAS_CORPUS)('splits a binary .evtx at its chunks, and stores what one thread reading it whole stores', async () => {
    const dir = tempDir();
    // The corpus logs' chunks one after another behind one file header, with an unused (zeroed) chunk, a damaged
    // one, a chunk twice (its records duplicates) and a cut tail: what a range boundary could fall on.
    const logs = readdirSync(corpusFile('evtx-attack-samples'), { recursive: true }).map(String).filter((name) => name.endsWith('.evtx'))
      .sort().map((name) => readFileSync(corpusFile('evtx-attack-samples', name)));
    const chunks = logs.map((log) => log.subarray(4096, 4096 + 65536));
    const evtx = join(dir, 'Security.evtx');
    writeFileSync(evtx, Buffer.concat([logs[0]!.subarray(0, 4096), chunks[0]!, Buffer.alloc(65536), ...chunks.slice(1, 3),
      Buffer.alloc(65536, 0x41), ...chunks.slice(3), chunks[2]!, Buffer.alloc(1000, 0x42)]));
    const ranges = planRanges(evtx, { format: 'auto', table: null }, 4096)!;
    expect(ranges.map((range) => range.start)).toEqual([0, ...Array.from({ length: chunks.length + 3 }, (_, i) => 4096 + (i + 1) * 65536)]);
    const one = await expectSplitStoresAsWhole(dir, evtx);
    expect([one.summary.rejects, one.summary.duplicates > 0, one.summary.events.DeviceProcessEvents > 0]).toEqual([2, true, true]);
  });

  it('reads the next file beside the last ranges of a split one, each file stored in its own order', async () => {
    const dir = tempDir();
    const big = join(dir, 'DeviceProcessEvents.json');
    messyFile(big, 300);
    const small = join(dir, 'DeviceProcessEvents-more.json');
    writeFileSync(small, `${processLine(5000)}\n{"broken too\n${processLine(5001)}\n`);
    const one = await ingestWith(dir, 'one.db', [big, small], 0);
    const split = await ingestWith(dir, 'split.db', [big, small], 2);
    expect(one.summary.rejects).toBe(9);
    expect(one.summary.events.DeviceProcessEvents).toBe(303);
    expect(split.summary).toEqual(one.summary);
    expect(split.perFile).toEqual(one.perFile);
  });

  it('a folder of many small files, sent to the workers ahead of their writes, stores what one thread stores', async () => {
    const dir = tempDir();
    const folder = join(dir, 'blobs');
    mkdirSync(folder);
    for (let i = 0; i < 40; i++) {
      const name = join(folder, `h${String(i).padStart(2, '0')}`, 'PT1H.json');
      mkdirSync(join(name, '..'));
      // Numbered clear of the split file's rows (0-59): an event that two files of one run both hold is reported as
      // the duplicate by whichever is written second, and with two lanes that is timing (README, --nice).
      const rows = Array.from({ length: 1 + (i % 4) }, (_, j) => processLine(1000 + 100 * i + j));
      if (i % 5 === 1) rows.push('{"broken');
      if (i % 7 === 2) rows.push(processLine(1000 + 100 * i)); // a duplicate within the file
      if (i % 9 === 3) writeFileSync(name, Buffer.from(rows.join('\n'), 'latin1')); // warned
      else if (i % 11 === 4) writeFileSync(name, gzipSync(rows.join('\n')));
      else if (i === 13) writeFileSync(name, 'not a log at all'); // passed over
      else if (i === 17) messyFile(name, 60); // large enough to split between the workers
      else writeFileSync(name, rows.join('\n'));
    }
    const one = await ingestWith(dir, 'one.db', [folder], 0);
    const ahead = await ingestWith(dir, 'ahead.db', [folder], 2);
    expect(one.summary.files).toBe(40);
    expect(one.summary.filesPassedOver).toBe(1);
    expect(one.summary.rejects).toBeGreaterThan(8);
    expect(one.summary.warnings).toBeGreaterThan(4);
    expect(ahead.summary).toEqual(one.summary);
    expect(ahead.perFile).toEqual(one.perFile);
  });

  it('a run stopped while a range waits for the one sent ahead to the other worker ends, and running again completes it', async () => {
    const dir = tempDir();
    const folder = join(dir, 'in');
    mkdirSync(folder);
    // The small file is one lane's job, which sends the split file's first range ahead; the other lane takes the
    // second range and waits for the first. The run stops while the small file is written.
    writeFileSync(join(folder, 'a-small.json'), `${Array.from({ length: 500 }, (_, i) => processLine(i)).join('\n')}\n`);
    writeFileSync(join(folder, 'b-split.json'), `${Array.from({ length: 2000 }, (_, i) => processLine(1000 + i)).join('\n')}\n`);
    const db = openStore(join(dir, 'l.db'));
    const controller = new AbortController();
    let writes = 0;
    const summary = await ingestPaths([folder], {
      sink: createIngestSink(db), workers: 2, batchSize: 100, rangeBytes: 1 << 20, signal: controller.signal,
      onProgress: () => { if (++writes === 4) controller.abort(); },
    });
    expect(summary.interrupted).toBe(true);
    const again = await ingestPaths([folder], { sink: createIngestSink(db), workers: 2, rangeBytes: 1 << 20 });
    expect(again.interrupted).toBe(false);
    expect(again.events.DeviceProcessEvents + again.duplicates).toBe(2500);
    expect(db.prepare('SELECT count(*) FROM process_events').pluck().get()).toBe(2500);
    db.close();
  });

  it('a range that cannot be read fails the file and stores a prefix of it, as a whole-file read stopping there would', async () => {
    const dir = tempDir();
    const path = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(path, `${Array.from({ length: 300 }, (_, i) => processLine(i)).join('\n')}\n`);
    const db = openStore(join(dir, 'l.db'));
    let swapped = false;
    const summary = await ingestPaths([path], {
      sink: createIngestSink(db), workers: 2, rangeBytes: 4096,
      // Once the first range is written, the file becomes a folder: the ranges not yet opened cannot be read.
      onProgress: () => {
        if (swapped) return;
        swapped = true;
        renameSync(path, `${path}.gone`);
        mkdirSync(path);
      },
    });
    const lines = (db.prepare('SELECT line FROM process_events ORDER BY id').pluck().all() as number[]);
    db.close();
    expect(summary.filesFailed).toBe(1);
    expect(summary.perFile[0]?.error).toBe(`ingest: ${path}: a folder where a file was expected`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(300);
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => i + 1));
  });
});
