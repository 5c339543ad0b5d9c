// Incremental detection: after events are appended (in time order, late and out of order, or one kind of chain event
// after all the rest), refreshing only the changed scopes gives exactly what a full run over the whole store gives.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLineage, IncrementalLineage } from '../../src/detect';
import { parseTime } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { writeSimulation } from '../../src/simulate';
import { createIngestSink, openStore } from '../../src/store';
import { useTempDirs } from '../helpers/temp-dir';

describe('incremental lineage detection', () => {
  const tempDir = useTempDirs();

  type Row = { Timestamp: string; LocalPort?: number; InitiatingProcessCommandLine?: string; InitiatingProcessParentFileName?: string; FileName?: string };
  /** Which rows arrive in the second ingest: by time, every fifth, or each kind of event a chain is made of. */
  const LATER: Record<string, (row: Row, index: number) => boolean> = {
    'by-time': (row) => row.Timestamp >= '2024-05-06T13',
    'late-arrivals': (_row, index) => index % 5 === 0,
    'connections last': (row) => row.LocalPort === 135,
    'activations last': (row) => /dcomlaunch/i.test(row.InitiatingProcessCommandLine ?? ''),
    'children last': (row) => /^svchost\.exe$/i.test(row.InitiatingProcessParentFileName ?? ''),
    'boots last': (row) => /^services\.exe$/i.test(row.FileName ?? ''),
  };

  for (const split of Object.keys(LATER)) {
    it(`equals a full run after appending (${split})`, async () => {
      const dir = tempDir();
      writeSimulation(join(dir, 'sim'), 'mde-ndjson', { seed: 31, devices: 6, hours: 24, start: parseTime('2024-05-06T00:00:00Z')!.ticks, attacks: 14, nearMisses: 20, rate: 30 });
      const first: string[] = [];
      const later: string[] = [];
      for (const table of ['DeviceProcessEvents', 'DeviceNetworkEvents']) {
        readFileSync(join(dir, 'sim', `${table}.json`), 'utf8').trimEnd().split('\n').forEach((line, i) => {
          const late = (LATER[split] as (row: Row, index: number) => boolean)(JSON.parse(line) as Row, i);
          (late ? later : first).push(line);
        });
      }
      writeFileSync(join(dir, 'first.json'), `${first.join('\n')}\n`);
      writeFileSync(join(dir, 'later.json'), `${later.join('\n')}\n`);
      const db = openStore(join(dir, 'l.db'));
      await ingestPaths([join(dir, 'first.json')], { sink: createIngestSink(db), workers: 0 });
      const incremental = new IncrementalLineage(db);
      expect(incremental.refresh().full).toBe(true);
      expect(incremental.list()).toEqual(detectLineage(db));
      await ingestPaths([join(dir, 'later.json')], { sink: createIngestSink(db), workers: 0 });
      const report = incremental.refresh();
      expect(report.full).toBe(false);
      expect(report.scopes).toBeGreaterThan(0);
      const full = detectLineage(db);
      expect(full.length).toBe(14);
      expect(incremental.list()).toEqual(full);
      expect(incremental.refresh()).toEqual({ full: false, scopes: 0 });
      db.close();
    });
  }

  it('equals a full run after each of three appends of rows drawn at random, on near-miss-heavy fleets', async () => {
    for (const seed of [3, 5, 8]) {
      const dir = tempDir();
      writeSimulation(join(dir, 'sim'), 'mde-ndjson', { seed, devices: 6, hours: 24, start: parseTime('2024-05-06T00:00:00Z')!.ticks, attacks: 10, nearMisses: 30, rate: 20 });
      // A fixed-seed generator, so a failure replays: each row goes to one of three appends.
      let state = seed;
      const draw = (): number => (state = (state * 1103515245 + 12345) % 2147483648) % 3;
      const parts: string[][] = [[], [], []];
      for (const table of ['DeviceProcessEvents', 'DeviceNetworkEvents']) {
        for (const line of readFileSync(join(dir, 'sim', `${table}.json`), 'utf8').trimEnd().split('\n')) (parts[draw()] as string[]).push(line);
      }
      const db = openStore(join(dir, 'l.db'));
      const incremental = new IncrementalLineage(db);
      for (const [i, lines] of parts.entries()) {
        writeFileSync(join(dir, `part-${i}.json`), `${lines.join('\n')}\n`);
        await ingestPaths([join(dir, `part-${i}.json`)], { sink: createIngestSink(db), workers: 0 });
        expect(incremental.refresh().full).toBe(i === 0);
        expect(incremental.list(), `seed ${seed}, after append ${i + 1}`).toEqual(detectLineage(db));
      }
      expect(incremental.list().length).toBeGreaterThan(0);
      db.close();
    }
  });
});
