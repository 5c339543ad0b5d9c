// The lineage command as a user runs it: help, usage errors, exit codes, --json output, stdin, stats.
import { once } from 'node:events';
import { statSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli';
import { formatIngestSummary } from '../../src/cli/format-summary';
import { formatRows } from '../../src/simulate';
import { runLineage, startLineage } from '../helpers/built-cli';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';

function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '', err: '', env, stderrIsTty: false,
    stdout: (text: string) => { io.out += text; },
    stderr: (text: string) => { io.err += text; },
  };
  return io;
}

// In-process ingests keep the test runner's priority (the command lowers it to 10 by default).
const NORMAL_PRIORITY = ['--nice', '0'];

describe('lineage CLI', () => {
  const tempDir = useTempDirs();

  it('--help lists the commands and exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out).toMatch(/ingest \[options\] <paths\.\.\.>/);
    expect(io.out).toMatch(/stats \[options\]/);
  });

  it('usage errors exit 2: unknown command, bad --format, missing paths', async () => {
    for (const argv of [['frobnicate'], ['ingest', 'x', '--format', 'xml'], ['ingest'], ['ingest', 'x', '--workers', '17'], ['ingest', 'x', '--workers', '1.5'], ['ingest', 'x', '--nice', '20'], ['ingest', 'x', '--time-zone', 'Mars/Olympus_Mons'],
      ['simulate', '--out', tempDir(), '--seed', '1e3']]) {
      const io = captureIo();
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(io.err).not.toBe('');
    }
  });

  it('ingest --json prints one summary object; --strict turns rejects into exit 3', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(file, `${formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents)}{"broken\n`);
    const db = join(dir, 'l.db');
    const io = captureIo();
    expect(await runCli(['ingest', file, '--db', db, '--json', '--workers', '0', ...NORMAL_PRIORITY], io)).toBe(0);
    const summary = JSON.parse(io.out) as Record<string, unknown>;
    expect(summary).toMatchObject({ files: 1, rejects: 1, events: { DeviceProcessEvents: 3, DeviceNetworkEvents: 0 } });
    const strict = captureIo();
    expect(await runCli(['ingest', file, '--db', db, '--strict', '--workers', '0', ...NORMAL_PRIORITY], strict)).toBe(3);
    expect(strict.err).toMatch(/DeviceProcessEvents\.json:4: malformed JSON/);
  });

  it('ingest lowers its CPU priority to --nice, and never raises it', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    const before = getPriority();
    const target = Math.min(before + 2, 19);
    try {
      expect(await runCli(['ingest', file, '--db', join(dir, 'l.db'), '--workers', '0', '--nice', String(target)], captureIo())).toBe(0);
      expect(getPriority()).toBe(target);
      expect(await runCli(['ingest', file, '--db', join(dir, 'l.db'), '--workers', '0', '--nice', String(target - 1)], captureIo())).toBe(0);
      expect(getPriority()).toBe(target);
    } finally {
      try {
        setPriority(before);
      } catch {
        // raising a priority back needs privileges this runner may not have
      }
    }
  });

  it('ingest --date-order names how year-last regional dates read, through the parse workers', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.csv');
    // As ta-IN writes 5 February: the same text as en-US writes 2 May.
    writeFileSync(file, 'Timestamp,DeviceId,ActionType,FileName,ProcessId,ReportId\n'
      + '"5/2/2025, 9:19:25.391 PM",0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c,ProcessCreated,a.exe,4,1\n');
    const range = async (order: string[]): Promise<unknown> => {
      const db = join(dir, `${order.join('') || 'auto'}.db`);
      const io = captureIo();
      expect(await runCli(['ingest', file, '--db', db, '--workers', '1', ...order, ...NORMAL_PRIORITY], io)).toBe(0);
      expect(io.err).toMatch(/DeviceProcessEvents\.csv:2: time read as/);
      const stats = captureIo();
      expect(await runCli(['stats', '--db', db, '--json'], stats)).toBe(0);
      return (JSON.parse(stats.out) as { timeRange: unknown }).timeRange;
    };
    expect(await range([])).toEqual({ from: '2025-05-02T21:19:25.3910000Z', to: '2025-05-02T21:19:25.3910000Z' });
    expect(await range(['--date-order', 'day-first'])).toEqual({ from: '2025-02-05T21:19:25.3910000Z', to: '2025-02-05T21:19:25.3910000Z' });
    const bad = captureIo();
    expect(await runCli(['ingest', file, '--date-order', 'ymd'], bad)).toBe(2);
  });

  it('a named file that cannot be read exits 1', async () => {
    const io = captureIo();
    expect(await runCli(['ingest', '/nonexistent/file.json', '--db', join(tempDir(), 'l.db'), ...NORMAL_PRIORITY], io)).toBe(1);
    expect(io.err).toMatch(/no such file or folder/);
  });

  it('stats --json has the documented keys; the store defaults to $LINEAGE_DB', async () => {
    const dir = tempDir();
    const db = join(dir, 'env.db');
    const file = join(dir, 'DeviceNetworkEvents.csv');
    writeFileSync(file, formatRows('mde-csv', 'DeviceNetworkEvents', fixtureRows().DeviceNetworkEvents));
    expect(await runCli(['ingest', file, '--workers', '0', ...NORMAL_PRIORITY], captureIo({ LINEAGE_DB: db }))).toBe(0);
    const io = captureIo({ LINEAGE_DB: db });
    expect(await runCli(['stats', '--json'], io)).toBe(0);
    const stats = JSON.parse(io.out) as Record<string, unknown>;
    expect(stats).toMatchObject({ events: { DeviceProcessEvents: 0, DeviceNetworkEvents: 2 }, devices: 1, rejects: 0 });
    expect(stats.timeRange).toEqual({ from: '2024-03-26T09:39:51.7688641Z', to: '2024-03-26T09:39:52.7688642Z' });
    // Disk use: the database's pages, and exactly the column log bytes its rows own.
    const bytes = stats.bytes as { database: number; columnLog: number };
    expect(bytes.database).toBeGreaterThan(0);
    expect(bytes.columnLog).toBe(statSync(`${db}-columns`).size);
    expect(bytes.columnLog).toBeGreaterThan(0);
    const human = captureIo({ LINEAGE_DB: db });
    expect(await runCli(['stats'], human)).toBe(0);
    expect(human.out).toMatch(/DeviceNetworkEvents\s+2/);
    expect(human.out).toMatch(/on disk [\d.]+ MiB database \+ [\d.]+ MiB column log/);
  });

  it('stats on a store that does not exist is a usage error, not a new empty store', async () => {
    const io = captureIo();
    expect(await runCli(['stats', '--db', join(tempDir(), 'nope.db')], io)).toBe(2);
    expect(io.err).toMatch(/no store at/);
  });

  it("ingest of a folder holding the store leaves the store's own files out", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'DeviceProcessEvents.json'), formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    const db = join(dir, 'lineage.db');
    for (let run = 0; run < 2; run++) {
      const io = captureIo();
      expect(await runCli(['ingest', dir, '--db', db, '--json', ...NORMAL_PRIORITY], io)).toBe(0);
      const summary = JSON.parse(io.out) as { files: number; filesPassedOver: number; perFile: Array<{ path: string }> };
      // The store exists from the first run's start: neither run reads lineage.db, its WAL or its column log.
      expect(summary.perFile.map((f) => f.path)).toEqual([join(dir, 'DeviceProcessEvents.json')]);
      expect(summary.filesPassedOver).toBe(0);
    }
  });

  it('the summary names the eight most skipped tables, largest first, then how many more', () => {
    const skippedByTable = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`Sysmon ${i + 1}`, (i + 1) * 10]));
    const text = formatIngestSummary({
      runId: 1, files: 1, filesFailed: 0, filesPassedOver: 0, events: { DeviceProcessEvents: 0, DeviceNetworkEvents: 0 }, duplicates: 0, rejects: 0,
      skipped: 780, skippedByTable, warnings: 0, seconds: 1, eventsPerSecond: 0, perFile: [], messages: [], interrupted: false,
    });
    expect(text).toContain('  skipped tables: Sysmon 12 120, Sysmon 11 110, Sysmon 10 100, Sysmon 9 90, Sysmon 8 80, Sysmon 7 70, Sysmon 6 60, '
      + 'Sysmon 5 50, and 4 more (--json lists them all)');
  });

  it('the summary says a warning repeated on line after line once, with how many followed, and where rejects are kept', () => {
    const warning = (line: number): string => `gb.csv:${line}: time read as day/month/year from a regional form`;
    const text = formatIngestSummary({
      runId: 1, files: 1, filesFailed: 0, filesPassedOver: 0, events: { DeviceProcessEvents: 300, DeviceNetworkEvents: 0 }, duplicates: 0,
      rejects: 1, skipped: 0, skippedByTable: {}, warnings: 300, seconds: 1, eventsPerSecond: 300, perFile: [], interrupted: false,
      // As ingest keeps them: at most 50 messages of a file, in line order.
      messages: [...Array.from({ length: 20 }, (_, i) => warning(i + 2)), 'gb.csv:22: Timestamp: not a time: "x"',
        ...Array.from({ length: 29 }, (_, i) => warning(i + 23))],
    });
    expect(text.split('\n').slice(4)).toEqual([
      '  gb.csv:2: time read as day/month/year from a regional form (and 19 more like it)',
      '  gb.csv:22: Timestamp: not a time: "x"',
      '  gb.csv:23: time read as day/month/year from a regional form (and 28 more like it)',
      "  ... 251 more (each reject is kept with its text in the store's rejects table)",
    ]);
  });

  it('a reader that goes away (`| head`) ends nothing early and prints no stack trace; the ingest still commits', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const file = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    const child = startLineage(['ingest', file, '--db', db, '--json', ...NORMAL_PRIORITY]);
    child.stdout?.destroy(); // the pipe's only reader is gone before the summary is written: that write fails with EPIPE
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => { stderr += data.toString(); });
    const [code] = await once(child, 'exit') as [number | null];
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
    expect(JSON.parse(runLineage(['stats', '--db', db, '--json']).stdout)).toMatchObject({ events: { DeviceProcessEvents: 3 } });
  });

  it('the built command reads gzip from stdin ("-") and works right after install (npx lineage)', () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const input = gzipSync(formatRows('mde-stream', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    const result = runLineage(['ingest', '-', '--db', db, '--json'], { input });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ events: { DeviceProcessEvents: 3 }, perFile: [{ path: '<stdin>', format: 'mde-stream', compressed: true }] });
    expect(runLineage(['--version']).stdout.trim()).toBe('0.1.0');
  });
});
