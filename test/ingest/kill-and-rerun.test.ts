// A kill mid-ingest leaves the store consistent; running the same command again completes it with the same final
// content as one clean run.
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openStore, readStats } from '../../src/store';
import { spawn } from 'node:child_process';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink } from '../../src/store';
import { BIN, PROJECT_ROOT, runLineage, startLineage } from '../helpers/built-cli';
import { fullRow } from '../helpers/mde-fixture-rows';
import { storedEvents } from '../helpers/store-rows';
import { useTempDirs } from '../helpers/temp-dir';

const ROWS = 40_000;

async function writeBigFile(path: string, rows = ROWS): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i++) {
    const row = fullRow(i % 3 === 0 ? 'DeviceProcessEvents' : 'DeviceNetworkEvents', i % 7, {
      ReportId: i, Timestamp: `2024-03-26T10:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:00.${String(i).padStart(7, '0')}Z`,
      ...(i % 3 === 0 ? { ProcessCommandLine: `cmd.exe /c job ${i}`, Type: 'DeviceProcessEvents' } : { Type: 'DeviceNetworkEvents' }),
    });
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function eventCount(dbPath: string): number {
  try {
    const db = openStore(dbPath, { readonly: true });
    try {
      const stats = readStats(db);
      return stats.events.DeviceProcessEvents + stats.events.DeviceNetworkEvents;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

describe('kill mid-ingest, then run again', () => {
  const tempDir = useTempDirs();

  it('kill-then-rerun equals one clean run', async () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.json');
    await writeBigFile(file);
    const clean = join(dir, 'clean.db');
    expect(runLineage(['ingest', file, '--db', clean]).status).toBe(0);

    const killed = join(dir, 'killed.db');
    const child = startLineage(['ingest', file, '--db', killed]);
    let seen = 0;
    for (let waited = 0; waited < 30_000 && seen === 0; waited += 20) {
      await sleep(20);
      seen = eventCount(killed);
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    const afterKill = eventCount(killed);
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(ROWS);
    // Its process is gone: stats says the run was interrupted before any later ingest records it so.
    const statsDb = openStore(killed, { readonly: true });
    expect(readStats(statsDb).lastRuns.map((run) => run.status)).toEqual(['interrupted']);
    statsDb.close();

    const rerun = runLineage(['ingest', file, '--db', killed, '--json']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { duplicates: number; events: Record<string, number> };
    expect(summary.duplicates).toBe(afterKill);

    const cleanDb = openStore(clean, { readonly: true });
    const killedDb = openStore(killed);
    expect(storedEvents(killedDb)).toEqual(storedEvents(cleanDb));
    expect(killedDb.pragma('integrity_check', { simple: true })).toBe('ok');
    // Column bytes the killed run appended past its last commit were overwritten or cut: the log is exactly as long as
    // a clean run's.
    const logEnd = (db: typeof cleanDb): number => db.prepare('SELECT committed_end FROM column_log').pluck().get() as number;
    expect(statSync(`${killed}-columns`).size).toBe(logEnd(killedDb));
    expect(logEnd(killedDb)).toBe(logEnd(cleanDb));
    const runs = readStats(killedDb).lastRuns.map((run) => run.status);
    expect(runs).toEqual(['ok', 'interrupted']);
    cleanDb.close();
    killedDb.close();
  });

  it('Ctrl-C stops between two chunks: exit 130, the run recorded as interrupted, a prefix stored; run again, it completes', async () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.json');
    await writeBigFile(file);
    const clean = join(dir, 'clean.db');
    expect(runLineage(['ingest', file, '--db', clean, '--workers', '0']).status).toBe(0);

    const stopped = join(dir, 'stopped.db');
    const child = startLineage(['ingest', file, '--db', stopped, '--json', '--workers', '0']);
    let stdout = '';
    child.stdout?.on('data', (data: Buffer) => { stdout += data.toString(); });
    for (let waited = 0; waited < 30_000 && eventCount(stopped) === 0; waited += 20) await sleep(20);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit') as [number | null];
    const summary = JSON.parse(stdout) as { interrupted: boolean; events: Record<string, number>; messages: string[] };
    const stored = summary.events.DeviceProcessEvents! + summary.events.DeviceNetworkEvents!;
    // Signalled right after its first commit, the run has most of its 40,000 rows (seconds of work) still to go.
    expect(stored).toBeLessThan(ROWS);
    expect(code).toBe(130);
    expect(summary.interrupted).toBe(true);
    expect(summary.messages).toContain("ingest: interrupted: the rows stored are a prefix of each file's lines; the same command run again completes it");
    const db = openStore(stopped, { readonly: true });
    expect(readStats(db).lastRuns.map((run) => run.status)).toEqual(['interrupted']);
    expect(eventCount(stopped)).toBe(stored);
    // A prefix: the stored lines are exactly 1..n.
    const lines = db.prepare('SELECT line FROM process_events UNION ALL SELECT line FROM network_events ORDER BY 1').pluck().all() as number[];
    expect(lines).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
    db.close();

    expect(runLineage(['ingest', file, '--db', stopped]).status).toBe(0);
    const cleanDb = openStore(clean, { readonly: true });
    const stoppedDb = openStore(stopped, { readonly: true });
    expect(storedEvents(stoppedDb)).toEqual(storedEvents(cleanDb));
    expect(readStats(stoppedDb).lastRuns.map((run) => run.status)).toEqual(['ok', 'interrupted']);
    cleanDb.close();
    stoppedDb.close();
  });

  it('Ctrl-C ends a run that waits on stdin at once, rather than at its next chunk', async () => {
    const dir = tempDir();
    const db = join(dir, 'stdin.db');
    const child = spawn(process.execPath, [BIN, 'ingest', '-', '--db', db], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => { stderr += data.toString(); });
    // More than one chunk (2,000 events), then the pipe stays open with nothing more coming.
    const rows = Array.from({ length: 2_500 }, (_, i) => JSON.stringify(fullRow('DeviceProcessEvents', i % 7, { ReportId: i, Type: 'DeviceProcessEvents' })));
    // Awaited, so that no write of ours is still pending when the command exits (that write would fail with EPIPE).
    await new Promise<void>((resolve, reject) => child.stdin?.write(`${rows.join('\n')}\n`, (error) => (error ? reject(error) : resolve())));
    for (let waited = 0; waited < 30_000 && eventCount(db) === 0; waited += 20) await sleep(20);
    expect(eventCount(db)).toBeGreaterThan(0);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit') as [number | null];
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: ingested 1 file/);
    child.stdin?.destroy();
  });

  it('an aborted run (any number of workers) stores a prefix of each file, and running again completes it', async () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.json');
    const rows = 10_000;
    await writeBigFile(file, rows);
    const reference = openStore(join(dir, 'reference.db'));
    await ingestPaths([file], { sink: createIngestSink(reference), workers: 0 });
    for (const workers of [0, 1, 2]) {
      const db = openStore(join(dir, `aborted-${workers}.db`));
      const controller = new AbortController();
      const summary = await ingestPaths([file], {
        sink: createIngestSink(db), workers, batchSize: 500, rangeBytes: 1 << 19, signal: controller.signal,
        onProgress: (progress) => { if (progress.events >= 1_000) controller.abort(); },
      });
      expect(summary.interrupted, `workers ${workers}`).toBe(true);
      const stored = summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents;
      expect(stored, `workers ${workers}`).toBeGreaterThanOrEqual(1_000);
      expect(stored, `workers ${workers}`).toBeLessThan(rows);
      const lines = db.prepare('SELECT line FROM process_events UNION ALL SELECT line FROM network_events ORDER BY 1').pluck().all() as number[];
      expect(lines, `workers ${workers}`).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
      expect(readStats(db).lastRuns[0]?.status).toBe('interrupted');
      const again = await ingestPaths([file], { sink: createIngestSink(db), workers });
      expect(again.interrupted).toBe(false);
      expect(again.duplicates).toBe(stored);
      expect(storedEvents(db), `workers ${workers}`).toEqual(storedEvents(reference));
      db.close();
    }
    reference.close();
  });
});
