// Plants one connection -> activation -> children chain on a device, every knob of it data: which process owns
// the connection and how it is logged, who activates the COM server and when, which children follow. Attacks and
// near misses are all chains with different knobs (scenarios.ts).
import { formatTicks, type Ticks } from '../domain';
import type { Account } from './accounts';
import type { Binary } from './binaries';
import type { ConnectionSpec, DeviceSim, SimProcess } from './device-sim';
import type { TruthProcess } from './truth';

/** The long-lived processes of a booted device the chains hang off. */
export interface DeviceHosts {
  services: SimProcess;
  rpcss: SimProcess;
  dcomLaunch: SimProcess;
  explorer: SimProcess | null;
  user: Account;
}

export interface ChildSpec {
  /** Ticks after the activation. */
  delay: bigint;
  image: Binary;
  commandLine: string;
  account?: Account;
  /** The child's row names its initiating process with this name (case variants). */
  initiatingFileName?: string;
  /** Reuse this PID for the child (staging PID reuse). */
  pid?: number;
  children?: ChildSpec[];
}

export interface ChainSpec {
  connection: (Partial<ConnectionSpec> & { remoteIp: string; owner?: (sim: DeviceSim, hosts: DeviceHosts, at: Ticks) => SimProcess }) | null;
  activation: {
    /** Ticks from the connection's Timestamp to the activation's Timestamp (negative: activation first). */
    delay: bigint;
    image: Binary;
    commandLine: string;
    account: Account;
    fileName?: string;
    pid?: number;
    host?: (sim: DeviceSim, hosts: DeviceHosts, at: Ticks) => SimProcess;
  } | null;
  children: ChildSpec[];
}

export interface PlantedChain {
  connectionTime: Ticks | null;
  remoteIp: string | null;
  rpcssHostPid: number | null;
  dcomLaunchHostPid: number | null;
  comServer: SimProcess | null;
  activationTime: Ticks | null;
  children: Array<{ process: SimProcess; at: Ticks; depth: number }>;
}

export function truthProcess(process: SimProcess): TruthProcess {
  return { pid: process.pid, fileName: process.image.fileName, commandLine: process.commandLine, createdAt: formatTicks(process.createdAt) };
}

function spawnChildren(sim: DeviceSim, parent: SimProcess, parentAt: Ticks, specs: readonly ChildSpec[], hosts: DeviceHosts,
  out: PlantedChain['children'], depth: number): void {
  for (const spec of specs) {
    const at = parentAt + spec.delay;
    const child = sim.spawn(parent, at, spec.image, spec.commandLine, spec.account ?? parent.account,
      { createdAt: at, pid: spec.pid, initiatingFileName: spec.initiatingFileName });
    out.push({ process: child, at, depth });
    if (spec.children) spawnChildren(sim, child, at, spec.children, hosts, out, depth + 1);
  }
}

/** Emits the chain's rows with the connection at `at`; creation times equal event times, so gaps are exact. */
export function plantChain(sim: DeviceSim, hosts: DeviceHosts, at: Ticks, spec: ChainSpec): PlantedChain {
  const planted: PlantedChain = {
    connectionTime: null, remoteIp: null, rpcssHostPid: null, dcomLaunchHostPid: null, comServer: null, activationTime: null, children: [],
  };
  if (spec.connection) {
    const { owner, ...rest } = spec.connection;
    const ownerProcess = owner ? owner(sim, hosts, at) : hosts.rpcss;
    sim.connect(ownerProcess, at, {
      actionType: 'InboundConnectionAccepted', localIp: sim.identity.ip, localPort: 135, remotePort: 49152 + (Number(at % 16000n)), ...rest,
    });
    planted.connectionTime = at;
    planted.remoteIp = rest.remoteIp;
    planted.rpcssHostPid = ownerProcess.pid;
  }
  if (spec.activation) {
    const activation = spec.activation;
    const when = at + activation.delay;
    const host = activation.host ? activation.host(sim, hosts, when) : hosts.dcomLaunch;
    const server = sim.spawn(host, when, activation.image, activation.commandLine, activation.account,
      { createdAt: when, fileName: activation.fileName, pid: activation.pid });
    planted.comServer = server;
    planted.activationTime = when;
    planted.dcomLaunchHostPid = host.pid;
    spawnChildren(sim, server, when, spec.children, hosts, planted.children, 1);
  }
  return planted;
}
