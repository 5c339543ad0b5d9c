// A kill mid-ingest leaves the store consistent; running the same command again completes it with the same final
// content as one clean run.
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openStore, readStats } from '../../src/store';
import { runLineage, startLineage } from '../helpers/built-cli';
import { fullRow } from '../helpers/mde-fixture-rows';
import { storedEvents } from '../helpers/store-rows';
import { useTempDirs } from '../helpers/temp-dir';

const ROWS = 40_000;

async function writeBigFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < ROWS; i++) {
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
});
