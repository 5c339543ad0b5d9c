// The time window is a setting, and detection searches as far as it reaches: a chain 20 s apart is found with
// windowMax 30s, and with windowMin -30s a chain whose connection is stamped after the activation (a source whose
// network clock runs late) is found too. With the default 0s..2s window, neither is.
import { describe, expect, it } from 'vitest';
import { detectLineage, IncrementalLineage } from '../../src/detect';
import { SCENARIOS, type Scenario } from '../../src/simulate';
import { scenarioFixture } from '../helpers/single-scenario';
import { useTempDirs } from '../helpers/temp-dir';

const MS = 10_000n;

/** The catalog's gap-over-window chain with the activation `delay` ticks after the connection. */
function withDelay(kind: string, delay: bigint): Scenario {
  const base = SCENARIOS.find((s) => s.kind === 'gap-over-window') as Scenario;
  return {
    ...base, kind, chain: (ctx) => {
      const spec = base.chain(ctx);
      return { ...spec, activation: spec.activation && { ...spec.activation, delay } };
    },
  };
}

describe('time window settings', () => {
  const tempDir = useTempDirs();

  it('a chain 20 s apart: silent by default, found with windowMax 30s', async () => {
    const { db } = await scenarioFixture(tempDir(), withDelay('gap-20s', 20_000n * MS));
    expect(detectLineage(db)).toEqual([]);
    const alerts = detectLineage(db, { settings: { windowMax: '30s' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.gapSeconds).toBeCloseTo(20, 3);
    expect(alerts[0]?.comServer.fileName.toLowerCase()).toBe('mmc.exe');
    const incremental = new IncrementalLineage(db, { settings: { windowMax: '30s' } });
    incremental.refresh();
    expect(incremental.list().map((a) => a.id)).toEqual(alerts.map((a) => a.id));
    db.close();
  });

  it('an activation 20 s before its connection: found with windowMin -30s', async () => {
    const { db } = await scenarioFixture(tempDir(), withDelay('gap-minus-20s', -20_000n * MS));
    expect(detectLineage(db)).toEqual([]);
    expect(detectLineage(db, { settings: { windowMin: '-10s', windowMax: '2s' } })).toEqual([]);
    const alerts = detectLineage(db, { settings: { windowMin: '-30s', windowMax: '2s' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.gapSeconds).toBeCloseTo(-20, 3);
    db.close();
  });
});
