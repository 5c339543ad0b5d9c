// Applies the parts of each scenario's expected outcome that depend on the device's real boots and on the hourly
// windows: the rule's boot gate (latest services.exe start, +5 min, on the activation's 5-s bin), its same-window
// condition when scheduled, and Lineage's boot grace (5 min after the boot before the activation).
import { formatTicks, type Ticks } from '../domain';
import type { TimedRow } from './device-sim';
import type { PlantedChain } from './plant-chain';
import { truthProcess } from './plant-chain';
import type { Scenario } from './scenarios';
import type { TruthItem } from './truth';

const S = 10_000_000n;
const HOUR = 3600n * S;
const GRACE = 300n * S;
const bin5 = (t: Ticks): Ticks => t - (((t % (5n * S)) + 5n * S) % (5n * S));

/** The rule's boot gate: a services.exe start exists and the activation's bin is > latest start + 5 min. */
function sentinelBootGate(boots: readonly Ticks[], activation: Ticks): boolean {
  if (boots.length === 0) return false;
  const last = boots.reduce((a, b) => (b > a ? b : a));
  return bin5(activation) > last + GRACE;
}

/** Child rows the rule's PID-only join attaches to this activation (FileName csc.exe excluded). */
function sentinelChildren(rows: readonly TimedRow[], planted: PlantedChain, from: Ticks, to: Ticks): TimedRow[] {
  const server = planted.comServer;
  if (!server) return [];
  const serverName = server.image.fileName.toLowerCase();
  return rows.filter(({ row, ticks, table }) => table === 'DeviceProcessEvents' && ticks >= from && ticks < to
    && row.InitiatingProcessId === server.pid && row.InitiatingProcessParentId === planted.dcomLaunchHostPid
    && String(row.InitiatingProcessParentFileName).toLowerCase() === 'svchost.exe'
    && String(row.InitiatingProcessFileName).toLowerCase() === serverName
    && String(row.FileName).toLowerCase() !== 'csc.exe');
}

export interface PlacedScenario {
  id: string;
  scenario: Scenario;
  planted: PlantedChain;
}

/** The truth item of a planted scenario, once its device's timeline (rows and boots) is complete. */
export function truthItem(placed: PlacedScenario, device: { deviceId: string; deviceName: string }, rows: readonly TimedRow[],
  boots: readonly Ticks[], start: Ticks, end: Ticks): TruthItem {
  const { scenario, planted } = placed;
  const activation = planted.activationTime;
  const connection = planted.connectionTime;
  const whole = activation !== null ? sentinelChildren(rows, planted, start, end) : [];
  let sentinel = scenario.sentinel && activation !== null && sentinelBootGate(boots, activation) && whole.length > 0;
  let hourly = false;
  if (scenario.sentinel && activation !== null && connection !== null) {
    const window = start + ((activation - start) / HOUR) * HOUR;
    const inWindow = (t: Ticks): boolean => t >= window && t < window + HOUR;
    hourly = inWindow(connection) && sentinelBootGate(boots.filter(inWindow), activation)
      && sentinelChildren(rows, planted, window, window + HOUR).length > 0;
  }
  if (!scenario.sentinel) sentinel = false;
  const bootBefore = activation === null ? null : boots.filter((b) => b <= activation).reduce<Ticks | null>((a, b) => (a === null || b > a ? b : a), null);
  const lineage = scenario.lineage && activation !== null && (bootBefore === null || activation - bootBefore > GRACE);
  return {
    id: placed.id,
    kind: scenario.kind,
    description: scenario.description,
    malicious: scenario.malicious,
    deviceId: device.deviceId,
    deviceName: device.deviceName,
    remoteIp: planted.remoteIp,
    connectionTime: connection === null ? null : formatTicks(connection),
    activationTime: activation === null ? null : formatTicks(activation),
    rpcssHostPid: planted.rpcssHostPid,
    dcomLaunchHostPid: planted.dcomLaunchHostPid,
    comServer: planted.comServer ? truthProcess(planted.comServer) : null,
    children: planted.children.filter((c) => c.depth === 1).map((c) => truthProcess(c.process)),
    expected: { sentinel, sentinelHourly: hourly, lineage },
    sentinelChildCommandLines: [...new Set(whole.map((r) => String(r.row.ProcessCommandLine)))].sort(),
  };
}
