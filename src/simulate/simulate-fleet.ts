// Simulates a fleet: plans each device's boots, places the planted scenarios on devices and times, then plays each
// device's timeline (boots, benign activity, scenarios) in time order and hands its rows, sorted, to `emit`.
// One device at a time, so memory is bounded by one device's rows.
import { formatTicks, InvalidInput, type Ticks } from '../domain';
import { userAccount } from './accounts';
import { bootDevice, benignAction, type DeviceRole } from './background';
import { DeviceSim, type SimProcess, type TimedRow } from './device-sim';
import { truthItem, type PlacedScenario } from './fleet-truth';
import { plantChain, type DeviceHosts } from './plant-chain';
import { createRng, type Rng } from './prng';
import { SCENARIOS, type Scenario } from './scenarios';
import type { Truth } from './truth';

const S = 10_000_000n;
const MINUTE = 60n * S;
const HOUR = 60n * MINUTE;

export interface SimulationOptions {
  seed: number;
  devices: number;
  hours: number;
  start: Ticks;
  attacks: number;
  nearMisses: number;
  /** Average events per device and hour of benign activity. */
  rate: number;
}

interface DevicePlan {
  index: number;
  deviceId: string;
  deviceName: string;
  ip: string;
  role: DeviceRole;
  /** In-period boots (the first may be the initial boot); empty: booted before the data starts, never rebooted. */
  boots: Ticks[];
  scenarios: Array<{ at: Ticks; id: string; scenario: Scenario }>;
}

function planFleet(options: SimulationOptions, rng: Rng): DevicePlan[] {
  const end = options.start + BigInt(options.hours) * HOUR;
  const servers = options.devices >= 4;
  const plans: DevicePlan[] = [];
  for (let i = 0; i < options.devices; i++) {
    const kind = servers && i === 0 ? 'dc' : servers && i === 1 ? 'mgmt' : 'workstation';
    const name = kind === 'dc' ? 'dc01' : kind === 'mgmt' ? 'mgmt01' : `ws-${String(i + 1).padStart(3, '0')}`;
    const user = kind === 'workstation' ? userAccount(rng.pick(['jsmith', 'akumar', 'mgarcia', 'lchen', 'tnguyen', 'pmuller']) + (i + 1), 1100 + i, rng.int(100000, 9000000), rng.hex(8) + '-' + rng.hex(4)) : null;
    // About half the devices boot inside the data; one workstation is kept booted-before, never rebooted.
    const bootsInside = kind !== 'workstation' || i !== options.devices - 1 ? rng.chance(0.6) : false;
    const boots: Ticks[] = bootsInside ? [options.start + BigInt(rng.int(60, 900)) * S] : [];
    if (bootsInside && options.hours >= 6 && rng.chance(0.3)) boots.push(options.start + BigInt(rng.int(2 * 3600, options.hours * 3600 - 3600)) * S);
    plans.push({
      index: i, deviceId: rng.hex(40), deviceName: `${name}.contoso.local`, ip: `10.20.0.${10 + i}`,
      role: { kind, user, dcIp: servers && i !== 0 ? '10.20.0.10' : null, mgmtIp: servers && i !== 1 ? '10.20.0.11' : null },
      boots, scenarios: [],
    });
  }
  void end;
  return plans;
}

function chooseScenarios(options: SimulationOptions): Scenario[] {
  const attacks = SCENARIOS.filter((s) => s.malicious);
  const nearMisses = SCENARIOS.filter((s) => !s.malicious);
  const pickCycle = (pool: readonly Scenario[], count: number): Scenario[] => Array.from({ length: count }, (_, i) => pool[i % pool.length] as Scenario);
  return [...pickCycle(attacks, options.attacks), ...pickCycle(nearMisses, options.nearMisses)];
}

/**
 * Places each scenario on a device and time that satisfy its placement, away from the others on that device.
 * Scenarios that add boots go first; a scenario the rule should flag goes after its device's last boot (the rule
 * only knows the latest boot), so each edge case shows in both modes.
 */
function placeScenarios(plans: DevicePlan[], scenarios: readonly Scenario[], options: SimulationOptions, rng: Rng): void {
  const end = options.start + BigInt(options.hours) * HOUR;
  const workstations = plans.filter((p) => p.role.kind === 'workstation');
  const targets = workstations.length > 0 ? workstations : plans;
  const free = (plan: DevicePlan, at: Ticks): boolean => plan.scenarios.every((s) => (s.at > at ? s.at - at : at - s.at) > 20n * MINUTE)
    && plan.boots.every((b) => (b > at ? b - at : at - b) > 15n * MINUTE);
  const addsBoot = (s: Scenario): boolean => s.placement === 'reboot-after' || s.placement === 'boot-before';
  const ordered = scenarios.map((scenario, n) => ({ scenario, n })).sort((a, b) => Number(addsBoot(b.scenario)) - Number(addsBoot(a.scenario)) || a.n - b.n);
  for (const { scenario, n } of ordered) {
    const id = `${scenario.malicious ? 'attack' : 'near-miss'}-${String(n + 1).padStart(3, '0')}-${scenario.kind}`;
    const neverBooted = targets.filter((p) => p.boots.length === 0);
    const booted = targets.filter((p) => p.boots.length > 0);
    const pool = scenario.placement === 'never-booted' ? (neverBooted.length > 0 ? neverBooted : targets)
      : scenario.placement === 'boot-before' || booted.length === 0 ? targets : booted;
    let placed = false;
    for (let attempt = 0; attempt < 1000 && !placed; attempt++) {
      const plan = rng.pick(pool);
      const lastBoot = plan.boots.length > 0 ? plan.boots[plan.boots.length - 1] as Ticks : options.start;
      // After the last boot when possible; past half the attempts, anywhere (truth then says what the rule returns).
      const strict = attempt < 500 && scenario.sentinel && scenario.placement === 'booted';
      const from = strict ? lastBoot + 10n * MINUTE : options.start + 40n * MINUTE;
      const span = Number((end - 45n * MINUTE - from) / S);
      if (span <= 0) continue;
      let at = from + BigInt(rng.int(0, span)) * S + BigInt(rng.int(0, 9_999_999));
      if (scenario.phase !== undefined) at = at - (at % S) + scenario.phase;
      if (scenario.placement === 'hour-edge') {
        const hour = (at - options.start) / HOUR + 1n;
        at = options.start + hour * HOUR - 500n * 10_000n;
      }
      if (at + 45n * MINUTE > end || !free(plan, at)) continue;
      if (scenario.placement === 'reboot-after') plan.boots.push(at + 30n * MINUTE);
      if (scenario.placement === 'boot-before') plan.boots.push(at - 3n * MINUTE);
      plan.boots.sort((a, b) => (a < b ? -1 : 1));
      plan.scenarios.push({ at, id, scenario });
      placed = true;
    }
    if (!placed) {
      throw new InvalidInput(`simulate: no room for scenario ${scenario.kind} (${scenarios.length} scenarios on ${options.devices} devices x ${options.hours} h); `
        + 'use more --devices or --hours, or fewer --attacks and --near-misses');
    }
  }
}

interface Action {
  at: Ticks;
  order: number;
  run(): void;
}

/** Plays one device's timeline; returns its rows sorted by time and the truth of its scenarios. */
function playDevice(plan: DevicePlan, options: SimulationOptions, rng: Rng) {
  const end = options.start + BigInt(options.hours) * HOUR;
  const sim = new DeviceSim({ deviceId: plan.deviceId, deviceName: plan.deviceName, ip: plan.ip }, rng.fork('sim'));
  let hosts: DeviceHosts = bootDevice(sim, options.start - BigInt(rng.int(3, 72)) * HOUR, plan.role, rng, true);
  const transient: Array<{ process: SimProcess; endsAt: Ticks }> = [];
  const actions: Action[] = [];
  let order = 0;
  const add = (at: Ticks, run: () => void): void => { actions.push({ at, order: order++, run }); };
  for (const boot of plan.boots) add(boot - 3n * S, () => { hosts = bootDevice(sim, boot - 3n * S, plan.role, rng, false); transient.length = 0; });
  const reserved = plan.scenarios.map((s) => s.at);
  const placed: PlacedScenario[] = [];
  for (const { at, id, scenario } of plan.scenarios) {
    add(at, () => {
      const ctx = { rng: rng.fork(id), deviceIp: plan.ip, attackerIp: rng.chance(0.5) ? `10.99.${rng.int(1, 9)}.${rng.int(2, 250)}` : `203.0.113.${rng.int(2, 250)}`, user: hosts.user };
      const planted = plantChain(sim, hosts, at, scenario.chain(ctx));
      placed.push({ id, scenario, planted });
      const followUp = scenario.followUp;
      if (followUp && planted.comServer && planted.activationTime !== null) {
        const when = planted.activationTime + followUp.delay;
        const server = planted.comServer;
        reserved.push(when);
        add(when, () => followUp.run(sim, hosts, when, server));
      }
    });
  }
  // Benign activity: exponential gaps, about `rate` rows per hour (an action writes ~2.5 rows on average).
  const meanGap = 3600 * 2.5 / Math.max(options.rate, 1);
  for (let t = Number(options.start / S) + rng.next() * meanGap; t < Number(end / S); t += -Math.log(1 - rng.next()) * meanGap) {
    const at = BigInt(Math.floor(t * 1e7));
    add(at, () => {
      if (reserved.some((r) => (r > at ? r - at : at - r) < MINUTE)) return; // keep planted chains unambiguous
      for (let i = transient.length - 1; i >= 0; i--) {
        const item = transient[i] as { process: SimProcess; endsAt: Ticks };
        if (item.endsAt <= at) {
          sim.exit(item.process);
          transient.splice(i, 1);
        }
      }
      for (const process of benignAction(sim, hosts, plan.role, at, rng)) {
        transient.push({ process, endsAt: at + BigInt(rng.int(5, 3600)) * S });
      }
    });
  }
  actions.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  for (const action of actions) action.run();
  const rows = sim.rows.filter((r) => r.ticks >= options.start && r.ticks < end);
  rows.sort((a, b) => (a.ticks < b.ticks ? -1 : a.ticks > b.ticks ? 1 : 0));
  const items = placed.map((p) => truthItem(p, plan, rows, sim.boots, options.start, end));
  return { rows, items, boots: sim.boots };
}

/** Runs the simulation, handing each device's rows to `emit` in time order; returns the truth. */
export function simulateFleet(options: SimulationOptions, emit: (rows: readonly TimedRow[]) => void): Truth {
  const rng = createRng(options.seed);
  const plans = planFleet(options, rng.fork('fleet'));
  placeScenarios(plans, chooseScenarios(options), options, rng.fork('placement'));
  const truth: Truth = {
    generator: 'lineage simulate', seed: options.seed, start: formatTicks(options.start),
    end: formatTicks(options.start + BigInt(options.hours) * HOUR), devices: [], items: [],
  };
  for (const plan of plans) {
    const { rows, items, boots } = playDevice(plan, options, rng.fork(`device-${plan.index}`));
    emit(rows);
    truth.devices.push({ deviceId: plan.deviceId, deviceName: plan.deviceName, ip: plan.ip, role: plan.role.kind, boots: boots.map(formatTicks) });
    truth.items.push(...items);
  }
  truth.items.sort((a, b) => (a.id < b.id ? -1 : 1));
  return truth;
}
