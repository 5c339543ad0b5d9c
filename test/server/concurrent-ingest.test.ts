// The server keeps answering while `lineage ingest` writes to the same store from another process (WAL), and sees
// the new events.
import { once } from 'node:events';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server';
import { parseTime } from '../../src/domain';
import { writeSimulation } from '../../src/simulate';
import { openStore } from '../../src/store';
import { runLineage, startLineage } from '../helpers/built-cli';
import { useTempDirs } from '../helpers/temp-dir';

describe('serving during an ingest from another process', () => {
  const tempDir = useTempDirs();

  it('answers every request and sees the new events', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'l.db');
    expect(runLineage(['ingest', 'data/samples', '--db', dbPath]).status).toBe(0);
    writeSimulation(join(dir, 'more'), 'mde-ndjson', { seed: 99, devices: 20, hours: 24, start: parseTime('2024-06-01T00:00:00Z')!.ticks, attacks: 14, nearMisses: 20, rate: 120 });
    const db = openStore(dbPath);
    const logged: string[] = [];
    const app = createApp({ db, log: (message) => logged.push(message), backgroundDetection: true });
    const matchesBefore = (await request(app).get('/api/v1/matches?limit=1000').expect(200)).body.items.length as number;
    const before = (await request(app).get('/api/v1/stats').expect(200)).body.events.DeviceNetworkEvents as number;
    const child = startLineage(['ingest', join(dir, 'more'), '--db', dbPath]);
    const exited = once(child, 'exit');
    let running = true;
    void exited.then(() => { running = false; });
    let requests = 0;
    let sawGrowth = false;
    while (running) {
      const stats = await request(app).get('/api/v1/stats');
      const matches = await request(app).get('/api/v1/matches?limit=5');
      expect(stats.status).toBe(200);
      expect(matches.status).toBe(200);
      if (stats.body.events.DeviceNetworkEvents > before) sawGrowth = true;
      requests += 2;
    }
    const [code] = await exited;
    expect(code).toBe(0);
    expect(requests).toBeGreaterThan(2);
    const after = (await request(app).get('/api/v1/stats').expect(200)).body.events.DeviceNetworkEvents as number;
    expect(after).toBeGreaterThan(before);
    expect(sawGrowth).toBe(true);
    // Matches are recomputed in the background: the new fleet's planted attacks show up without a request waiting.
    await expect.poll(async () => (await request(app).get('/api/v1/matches?limit=1000').expect(200)).body.items.length, { timeout: 20_000, interval: 500 })
      .toBe(matchesBefore + 14);
    // ... by the background worker itself, on its read-only connection: it did not stop and leave the work to requests.
    expect(logged).toEqual([]);
    app.shutdown();
    db.close();
  });
});
