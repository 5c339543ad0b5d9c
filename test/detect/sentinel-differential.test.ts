// The sentinel mode equals a brute-force implementation of the KQL, on many simulated fleets and windows.
import { describe, expect, it } from 'vitest';
import { compareSentinelRows, replaySentinel } from '../../src/detect';
import { kqlReference } from '../helpers/kql-reference';
import { simulatedStore } from '../helpers/simulated-store';
import { useTempDirs } from '../helpers/temp-dir';

const HOUR = 36_000_000_000n;

describe('sentinel mode = the KQL, brute force', () => {
  const tempDir = useTempDirs();

  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`seed ${seed}: whole range, random windows and hourly windows`, async () => {
      const nearMissHeavy = seed % 2 === 0;
      const { db, net, proc, truth } = await simulatedStore(tempDir(), { seed, devices: nearMissHeavy ? 4 : 6, attacks: nearMissHeavy ? 6 : 28, nearMisses: nearMissHeavy ? 60 : 20, hours: nearMissHeavy ? 36 : 24 });
      const start = BigInt(Date.parse(truth.start)) * 10_000n;
      const windows: Array<[bigint | null, bigint | null]> = [[null, null]];
      for (let h = 0; h < 24; h++) windows.push([start + BigInt(h) * HOUR, start + BigInt(h + 1) * HOUR]);
      for (let i = 0; i < 6; i++) {
        const a = start + BigInt(Math.floor(((seed * 7919 + i * 104729) % 86400) * 1e7));
        windows.push([a, a + BigInt((i + 1) * 3) * HOUR]);
      }
      let total = 0;
      for (const [from, to] of windows) {
        const expected = kqlReference(net, proc, from, to).sort(compareSentinelRows);
        const actual = replaySentinel(db, from, to);
        expect(actual, `window ${from}..${to}`).toEqual(expected);
        total += actual.length;
      }
      expect(total).toBeGreaterThan(0);
      db.close();
    });
  }
});
