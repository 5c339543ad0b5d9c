// On simulated fleets (background activity included), both modes give exactly the outcome truth.json expects of
// them for every planted item, and nothing else: recall and precision of 1 for Lineage on the planted attacks.
import { describe, expect, it } from 'vitest';
import { compareModes, detectLineage, explainLineage, replaySentinel, replaySentinelScheduled } from '../../src/detect';
import { parseTime } from '../../src/domain';
import { simulatedStore } from '../helpers/simulated-store';
import { useTempDirs } from '../helpers/temp-dir';

const HOUR = 36_000_000_000n;

describe('detection scored against truth.json', () => {
  const tempDir = useTempDirs();

  for (const seed of [21, 22, 23]) {
    it(`seed ${seed}`, async () => {
      const { db, truth } = await simulatedStore(tempDir(), { seed, devices: 8, rate: 60, attacks: 20, nearMisses: 30 });
      const alerts = detectLineage(db);
      const rows = replaySentinel(db, null, null);
      const hourly = replaySentinelScheduled(db, HOUR);
      for (const item of truth.items) {
        const alert = alerts.filter((a) => a.deviceId === item.deviceId && a.comServer.pid === item.comServer?.pid && a.time === item.activationTime);
        expect(alert.length, `${item.id} lineage`).toBe(item.expected.lineage ? 1 : 0);
        if (item.expected.lineage) expect(alert[0]?.children.map((c) => c.pid).sort(), item.id).toEqual(item.children.map((c) => c.pid).sort());
        const row = rows.filter((r) => r.DeviceId === item.deviceId && r.TimestampProcEventExact === item.activationTime);
        expect(row.length > 0, `${item.id} sentinel`).toBe(item.expected.sentinel);
        if (item.expected.sentinel) expect(row[0]?.set_ProcessCommandLine, item.id).toEqual(item.sentinelChildCommandLines);
        const scheduled = hourly.filter((r) => r.DeviceId === item.deviceId && r.TimestampProcEventExact === item.activationTime);
        expect(scheduled.length > 0, `${item.id} sentinel hourly`).toBe(item.expected.sentinelHourly);
      }
      // Nothing fires that was not planted: the benign background is silent in both modes.
      const planted = (deviceId: string, time: string) => truth.items.some((i) => i.deviceId === deviceId && i.activationTime === time);
      expect(alerts.filter((a) => !planted(a.deviceId, a.time))).toEqual([]);
      expect(rows.filter((r) => !planted(r.DeviceId, r.TimestampProcEventExact))).toEqual([]);
      const malicious = truth.items.filter((i) => i.malicious);
      const caught = malicious.filter((i) => alerts.some((a) => a.deviceId === i.deviceId && a.time === i.activationTime));
      expect(caught.length).toBe(malicious.length);
      // --compare accounts for every disagreement with a reason.
      const comparison = compareModes(db);
      expect(comparison.both + comparison.differences.filter((d) => d.only === 'lineage').length).toBe(alerts.length);
      expect(comparison.differences.every((d) => d.reason.length > 20 && !d.reason.includes('undefined'))).toBe(true);
      // Explain scoped to a device finds what explaining everything finds there; compare, which explains only around
      // the rule's own rows, gives the reasons that explaining everything gives.
      const misses = explainLineage(db);
      const device = truth.items[0]?.deviceId as string;
      expect(explainLineage(db, { deviceId: device })).toEqual(misses.filter((m) => m.deviceId === device));
      const ruleOnly = comparison.differences.filter((d) => d.only === 'sentinel');
      expect(ruleOnly.length).toBeGreaterThan(0);
      for (const difference of ruleOnly) {
        const near = misses.find((m) => m.deviceId === difference.deviceId && m.comServer?.pid === difference.comServerPid
          && Math.abs(Number(parseTime(m.time)!.ticks - parseTime(difference.time)!.ticks)) <= 10_000_000);
        expect(difference.reason, difference.time).toBe(near ? `Lineage: ${near.reason}` : expect.stringMatching(/^Lineage: not a DCOM chain/));
      }
      db.close();
    });
  }
});
