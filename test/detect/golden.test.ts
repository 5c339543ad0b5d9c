// The golden table: one minimal fixture per case of the spec (each planted scenario alone on one device), with the
// outcome of both modes, and for each case Lineage does not flag, the reason `explain` gives.
import { describe, expect, it } from 'vitest';
import { detectLineage, explainLineage, replaySentinel, replaySentinelScheduled } from '../../src/detect';
import { SCENARIOS } from '../../src/simulate';
import { scenarioFixture } from '../helpers/single-scenario';
import { useTempDirs } from '../helpers/temp-dir';

const HOUR = 36_000_000_000n;

/** kind -> what the rule as written returns, what Lineage returns, and explain's reason when Lineage is silent. */
const GOLDEN: Record<string, { sentinel: boolean; lineage: boolean; explain?: RegExp }> = {
  'dcom-mmc20': { sentinel: true, lineage: true },
  'dcom-excel': { sentinel: true, lineage: true },
  'dcom-outlook': { sentinel: true, lineage: true },
  'dcom-iexplore': { sentinel: true, lineage: true },
  'dcom-renamed-binary': { sentinel: true, lineage: true },
  'gap-1.99s-two-boundaries': { sentinel: true, lineage: true },
  'case-variant-hosts': { sentinel: true, lineage: true },
  'dcom-no-boot-in-data': { sentinel: false, lineage: true },
  'dcom-across-hour-edge': { sentinel: true, lineage: true },
  'dcom-then-reboot': { sentinel: false, lineage: true },
  'dcom-pid-reuse-later': { sentinel: true, lineage: true },
  'dcom-dllhost-unknown-clsid': { sentinel: false, lineage: true },
  'dcom-child-name-case': { sentinel: false, lineage: true },
  'dcom-fake-csc-child': { sentinel: false, lineage: true },
  'same-second-activation-first': { sentinel: true, lineage: false, explain: /outside the time window/ },
  'gap-2.5s-two-boundaries': { sentinel: true, lineage: false, explain: /outside the time window/ },
  'outbound-on-135': { sentinel: true, lineage: false, explain: /not an inbound connection/ },
  'self-ip-other-form': { sentinel: true, lineage: false, explain: /from the host itself/ },
  'rpcss-underscore-lookalike': { sentinel: true, lineage: false, explain: /not the RPCSS service host/ },
  'lookalike-svchost-path': { sentinel: true, lineage: false, explain: /not the one in System32/ },
  'listening-action-lowercase': { sentinel: true, lineage: false, explain: /not an inbound connection/ },
  'gap-over-window': { sentinel: false, lineage: false, explain: /outside the time window/ },
  'gap-2.001s-three-boundaries': { sentinel: false, lineage: false, explain: /outside the time window/ },
  'activation-before-connection': { sentinel: false, lineage: false, explain: /outside the time window/ },
  'within-5min-after-boot': { sentinel: false, lineage: false, explain: /boot grace/ },
  'loopback': { sentinel: false, lineage: false, explain: /from the host itself/ },
  'self-ip': { sentinel: false, lineage: false, explain: /from the host itself/ },
  'listening-socket': { sentinel: false, lineage: false, explain: /not an inbound connection/ },
  'allow-listed-wmiprvse': { sentinel: false, lineage: false, explain: /allow-listed COM server/ },
  'allow-listed-dllhost-clsid': { sentinel: false, lineage: false, explain: /allow-listed COM server/ },
  'only-csc-child': { sentinel: false, lineage: false, explain: /only allow-listed children/ },
  'no-child': { sentinel: false, lineage: false, explain: /missing hop: a child process/ },
  'rpcssx-lookalike': { sentinel: false, lineage: false, explain: /not the RPCSS service host/ },
  'connection-without-activation': { sentinel: false, lineage: false },
};

describe('golden table: one fixture per case, both modes', () => {
  const tempDir = useTempDirs();

  it('covers every planted scenario', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual(SCENARIOS.map((s) => s.kind).sort());
  });

  for (const [kind, expected] of Object.entries(GOLDEN)) {
    it(kind, async () => {
      const { db, truth } = await scenarioFixture(tempDir(), kind);
      const rows = replaySentinel(db, null, null);
      expect(rows.length > 0, 'sentinel').toBe(expected.sentinel);
      expect(truth.expected.sentinel).toBe(expected.sentinel);
      if (expected.sentinel) {
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ TimestampProcEventExact: truth.activationTime, TimestampNetwEventExact: truth.connectionTime, InitiatingProcessId: truth.comServer?.pid });
        expect(rows[0]?.set_ProcessCommandLine).toEqual(truth.sentinelChildCommandLines);
      }
      const hourly = replaySentinelScheduled(db, HOUR);
      expect(hourly.length > 0, 'sentinel, hourly').toBe(truth.expected.sentinelHourly);
      const alerts = detectLineage(db);
      expect(alerts.length > 0, 'lineage').toBe(expected.lineage);
      if (expected.lineage) {
        expect(alerts).toHaveLength(1);
        const alert = alerts[0]!;
        expect(alert.comServer).toMatchObject({ pid: truth.comServer?.pid, commandLine: truth.comServer?.commandLine });
        expect(alert.children.map((c) => c.pid).sort()).toEqual(truth.children.map((c) => c.pid).sort());
        expect(alert.connections.map((c) => c.time)).toEqual([truth.connectionTime]);
      }
      if (expected.explain) {
        const misses = explainLineage(db).filter((m) => m.comServer?.pid === truth.comServer?.pid || m.connection?.time === truth.connectionTime);
        expect(misses.map((m) => m.reason)).toEqual([expect.stringMatching(expected.explain)]);
      }
      db.close();
    });
  }
});
