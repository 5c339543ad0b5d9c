// The connection/activation pair join has two plans (from the connections, from the starts the allow-list lets
// through). Both must return exactly the pairs the definition gives, in the same order, for every filter shape.
import { describe, expect, it } from 'vitest';
import { MAX_TICKS, MIN_TICKS } from '../../src/store/event-rows';
import { readConnectionActivationPairs, type PairFilter } from '../../src/store';
import type { StoredNetworkEvent, StoredProcessEvent, Ticks } from '../../src/domain';
import { simulatedStore } from '../helpers/simulated-store';
import { useTempDirs } from '../helpers/temp-dir';

const SECOND = 10_000_000n;
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The pairs straight from the definition, over every event in memory. */
function definitionPairs(net: StoredNetworkEvent[], proc: StoredProcessEvent[], lo: Ticks, hi: Ticks, floor: boolean, filter: PairFilter): string[] {
  const names = new Set((filter.excludeFileNames ?? []).map((n) => n.toLowerCase()));
  const paths = new Set((filter.excludePaths ?? []).map((p) => p.toLowerCase()));
  const connections = net.filter((n) => n.localPort === 135 && (asciiLower(n.initiatorCommandLine).includes('rpcss') || n.initiatorCommandLine === ''));
  const starts = proc.filter((p) => asciiLower(p.initiatorFileName) === 'svchost.exe'
    && (asciiLower(p.initiatorCommandLine).includes('dcomlaunch') || p.initiatorCommandLine === '')
    && !names.has(asciiLower(p.fileName)) && !paths.has(asciiLower(p.folderPath))
    && (!filter.keep || filter.keep({ fileName: p.fileName, folderPath: p.folderPath, commandLine: p.commandLine })));
  const out: string[] = [];
  for (const n of connections) {
    const base = floor ? n.time - (n.time % SECOND) : n.time;
    for (const p of starts) if (p.deviceId === n.deviceId && p.time >= base + lo && p.time < base + hi) out.push(`${n.id}:${p.id}`);
  }
  return out.sort();
}

describe('connection/activation pairs', () => {
  const tempDir = useTempDirs();

  it('both plans give the definition\'s pairs, in one order, for name and path lists, with and without keep', async () => {
    const { db, net, proc } = await simulatedStore(tempDir(), { seed: 23, devices: 6, hours: 24, attacks: 14, nearMisses: 40, rate: 40 });
    const rejectThumbnails = (a: { commandLine: string }): boolean => !a.commandLine.toUpperCase().includes('{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}');
    const cases: Array<{ lo: Ticks; hi: Ticks; floor: boolean; filter: PairFilter }> = [
      { lo: 0n, hi: 3n * SECOND, floor: true, filter: { excludeFileNames: ['WmiPrvSE.exe', 'dllhost.exe', 'RuntimeBroker.exe', 'zz-after-all.exe', 'é.exe', ''] } },
      { lo: -10n * SECOND, hi: 11n * SECOND, floor: false, filter: { excludePaths: ['C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'C:\\Windows\\System32\\RuntimeBroker.exe'], keep: rejectThumbnails } },
      { lo: 0n, hi: 2n * SECOND, floor: false, filter: { excludePaths: ['c:\\nowhere\\x.exe'] } },
      { lo: 0n, hi: 2n * SECOND, floor: false, filter: { excludeFileNames: ['mmc.exe'], excludePaths: ['C:\\Windows\\System32\\dllhost.exe'], keep: () => true } },
      { lo: 0n, hi: 2n * SECOND, floor: false, filter: { excludePaths: ['C:\\Windows\\System32\\dllhost.exe'], keep: () => false } },
    ];
    let total = 0;
    for (const { lo, hi, floor, filter } of cases) {
      const fromStarts = readConnectionActivationPairs(db, null, null, lo, hi, floor, filter).map((p) => `${p.connection.id}:${p.activation.id}`);
      // A bounded range (the whole of time) is planned from the connections.
      const fromConnections = readConnectionActivationPairs(db, MIN_TICKS, MAX_TICKS, lo, hi, floor, filter).map((p) => `${p.connection.id}:${p.activation.id}`);
      expect(fromStarts).toEqual(fromConnections);
      expect([...fromStarts].sort()).toEqual(definitionPairs(net, proc, lo, hi, floor, filter));
      total += fromStarts.length;
    }
    expect(total).toBeGreaterThan(20);
    db.close();
  });
});
