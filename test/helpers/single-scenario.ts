// A minimal named fixture per planted case: one device, its boot(s), one scenario and nothing else, ingested into
// a fresh store. The scenario's placement decides the boots (never booted, reboot 3 min before, reboot after).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTime, type Ticks } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import {
  bootDevice, createRng, DeviceSim, plantChain, SCENARIOS, truthItem, userAccount, type DeviceRole, type Scenario, type TruthItem,
} from '../../src/simulate';
import { createIngestSink, openStore, type Store } from '../../src/store';

const S = 10_000_000n;
const START = parseTime('2024-05-06T00:00:00Z')!.ticks;

export interface ScenarioFixture {
  db: Store;
  truth: TruthItem;
}

/** A store holding only the scenario `kind` (a catalog name, or a scenario given whole) on one workstation. */
export async function scenarioFixture(dir: string, which: string | Scenario): Promise<ScenarioFixture> {
  const scenario = typeof which === 'string' ? SCENARIOS.find((s) => s.kind === which) : which;
  if (!scenario) throw new Error(`no scenario ${String(which)}`);
  const kind = scenario.kind;
  const rng = createRng(7).fork(kind);
  const user = userAccount('alice', 1107, 555555, 'aaaa-bbbb');
  const role: DeviceRole = { kind: 'workstation', user, dcIp: null, mgmtIp: null };
  const identity = { deviceId: 'f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1', deviceName: 'ws-fixture.contoso.local', ip: '10.20.0.50' };
  const sim = new DeviceSim(identity, rng.fork('sim'));
  let hosts = bootDevice(sim, scenario.placement === 'never-booted' ? START - 3600n * S : START, role, rng, scenario.placement === 'never-booted');
  let at: Ticks = START + 3600n * S + 123_456_7n;
  if (scenario.phase !== undefined) at = at - (at % S) + scenario.phase;
  if (scenario.placement === 'hour-edge') at = START + 7200n * S - 5_000_000n;
  if (scenario.placement === 'boot-before') hosts = bootDevice(sim, at - 183n * S, role, rng, false);
  const planted = plantChain(sim, hosts, at, scenario.chain({ rng: rng.fork('chain'), deviceIp: identity.ip, attackerIp: '203.0.113.66', user }));
  if (scenario.followUp && planted.comServer && planted.activationTime !== null) {
    scenario.followUp.run(sim, hosts, planted.activationTime + scenario.followUp.delay, planted.comServer);
  }
  if (scenario.placement === 'reboot-after') bootDevice(sim, at + 1800n * S, role, rng, false);
  const end = START + 6n * 3600n * S;
  const rows = sim.rows.filter((r) => r.ticks < end).sort((a, b) => (a.ticks < b.ticks ? -1 : a.ticks > b.ticks ? 1 : 0));
  const file = (table: string) => join(dir, `${table}.json`);
  for (const table of ['DeviceProcessEvents', 'DeviceNetworkEvents']) {
    writeFileSync(file(table), rows.filter((r) => r.table === table).map((r) => `${JSON.stringify(r.row)}\n`).join(''));
  }
  const db = openStore(join(dir, 'l.db'));
  await ingestPaths([file('DeviceProcessEvents'), file('DeviceNetworkEvents')], { sink: createIngestSink(db), workers: 0 });
  const truth = truthItem({ id: kind, scenario, planted }, identity, rows, sim.boots, START, end);
  return { db, truth };
}
