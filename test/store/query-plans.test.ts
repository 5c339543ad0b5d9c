// Queries whose cost must not grow with a device's history are served by an index seek, not a scan of the device.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_RICHER_TWIN, initiatorArms, sameStart } from '../../src/store/event-rows';
import { openStore } from '../../src/store';
import { connectionsOfSql, processSearchSql } from '../../src/store/read-processes';
import { spawnedBySql } from '../../src/store/read-rule-candidates';
import { useTempDirs } from '../helpers/temp-dir';

describe('query plans', () => {
  const tempDir = useTempDirs();

  it("a process's connections: one seek into the owner index per alternative, in the order asked for (no sort, so the limit stops the walk)", () => {
    const db = openStore(join(tempDir(), 'plans.db'));
    const owners = [
      [{ sql: 'e.init_created IS NULL', params: [] as unknown[] }],
      initiatorArms('e', 17146980029980271n, ''),
      initiatorArms('e', 17146980029980271n, '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'),
    ];
    for (const arms of owners) {
      const params = arms.flatMap((arm) => ['device', 0n, 4, ...arm.params]);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${connectionsOfSql(arms.map((arm) => arm.sql))}`).all(...params, 101) as Array<{ detail: string }>)
        .map((row) => row.detail).join(' | ');
      expect(plan.match(/SEARCH e USING (COVERING )?INDEX network_events_initiator \(device=\? AND init_pid=\?/g), plan).toHaveLength(arms.length);
      expect(plan, plan).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  });

  it("a process's record by the other source (Sysmon and Security 4688 of one start): each lookup one index seek", () => {
    const db = openStore(join(tempDir(), 'plans.db'));
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as Array<{ detail: string }>).map((row) => row.detail).join(' | ');
    for (const keyedById of [true, false]) {
      for (const condition of sameStart('e', 'a', keyedById)) {
        expect(plan(`SELECT e.id FROM process_events a JOIN process_events e ON ${condition} WHERE a.id = ?`), condition)
          .toMatch(/SEARCH e USING (COVERING )?INDEX process_events_(process \(device=\? AND pid=\? AND created>\? AND created<\?\)|initiator \(device=\? AND init_pid=\?\))/);
      }
    }
    const listed = plan(`SELECT e.id FROM process_events e WHERE e.device = ? AND NOT (${HAS_RICHER_TWIN('e')})`);
    expect(listed.match(/SEARCH q USING (COVERING )?INDEX process_events_process \(device=\? AND pid=\? AND created>\? AND created<\?\)/g)).toHaveLength(2);
    db.close();
  });

  it('a process search by PID: seeks the PID in the (device, pid, created) index and reads those rows by id, not the device in time order', () => {
    const db = openStore(join(tempDir(), 'plans.db'));
    for (const search of [{ deviceId: 'd', pid: 4, limit: 100 }, { deviceId: 'd', pid: 4, q: 'cmd', from: 0n, to: 10n ** 17n, limit: 100 }]) {
      const { sql, params } = processSearchSql(search);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail);
      expect(plan, JSON.stringify(plan)).toContain('SEARCH e USING INTEGER PRIMARY KEY (rowid=?)');
      expect(plan.filter((step) => /SEARCH p USING (COVERING )?INDEX process_events_process \(device=\? AND pid=\?/.test(step))).toHaveLength(2);
      expect(plan.some((step) => step.includes('process_events_identity')), JSON.stringify(plan)).toBe(false);
    }
    db.close();
  });

  it("a page of a process's children: index ranges in time order (no sort of every child, so the limit stops the walk), merged for a Sysmon parent", () => {
    const db = openStore(join(tempDir(), 'plans.db'));
    for (const uniqueId of ['', '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}']) {
      const arms = initiatorArms('e', 17146980029980271n, uniqueId);
      for (const paged of [true, false]) {
        const params = [...arms.flatMap((arm) => ['device', 4, ...arm.params, 0n, 10n ** 17n]), ...(paged ? [25] : [])];
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${spawnedBySql(arms.map((arm) => arm.sql), paged)}`).all(...params) as Array<{ detail: string }>)
          .map((row) => row.detail).join(' | ');
        expect(plan.match(/SEARCH e USING INDEX process_events_initiator \(device=\? AND init_pid=\? AND init_created=\? AND ts>\? AND ts<\?\)/g), plan)
          .toHaveLength(arms.length);
        expect(plan, plan).not.toMatch(/TEMP B-TREE/);
      }
    }
    db.close();
  });
});
