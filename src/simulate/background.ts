// Benign activity of a simulated Windows device: the boot tree, a user's logon, applications, the COM activations
// DcomLaunch makes all day (surrogates, brokers, WMI), remote management over RPC, and processes ending (so PIDs are
// reused). Nothing here forms a DCOM lateral-movement chain: the allow-listed servers DcomLaunch starts in the
// background never start children, and remote WMI runs through WmiPrvSE.
import type { Ticks } from '../domain';
import { LOCAL_SERVICE, NETWORK_SERVICE, SYSTEM, type Account } from './accounts';
import { binary } from './binaries';
import type { DeviceSim, SimProcess } from './device-sim';
import type { DeviceHosts } from './plant-chain';
import type { Rng } from './prng';

const S = 10_000_000n;
const MS = 10_000n;

export const BENIGN_CLSIDS = [
  '{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}', // thumbnail cache
  '{3EB3C877-1F16-487C-9050-104DBCD66683}', // CDP activity store
  '{973D20D7-562D-44B9-B70B-5A0F49CCDF3F}', // Windows Update
];

export interface DeviceRole {
  kind: 'workstation' | 'dc' | 'mgmt';
  user: Account | null;
  dcIp: string | null;
  mgmtIp: string | null;
}

/** Boots the device at `at`: System -> smss -> wininit -> services -> service hosts, and a user logon. */
export function bootDevice(sim: DeviceSim, at: Ticks, role: DeviceRole, rng: Rng, silent: boolean): DeviceHosts {
  sim.resetAt(at);
  const spawn = (parent: SimProcess, delay: bigint, name: string, commandLine: string, account: Account): SimProcess =>
    sim.spawn(parent, at + delay, binary(name), commandLine, account, { silent });
  const smss = spawn(sim.system, 1n * S, 'smss.exe', '\\SystemRoot\\System32\\smss.exe', SYSTEM);
  spawn(smss, 2n * S, 'csrss.exe', '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768', SYSTEM);
  const wininit = spawn(smss, 2200n * MS, 'wininit.exe', 'wininit.exe', SYSTEM);
  const winlogon = spawn(smss, 2400n * MS, 'winlogon.exe', 'winlogon.exe', SYSTEM);
  const services = spawn(wininit, 3n * S, 'services.exe', 'C:\\Windows\\system32\\services.exe', SYSTEM);
  if (!silent) sim.boots.push(at + 3n * S);
  spawn(wininit, 3100n * MS, 'lsass.exe', 'C:\\Windows\\system32\\lsass.exe', SYSTEM);
  const dcomLaunch = spawn(services, 3600n * MS, 'svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p', SYSTEM);
  const rpcss = spawn(services, 3900n * MS, 'svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k RPCSS -p', NETWORK_SERVICE);
  spawn(services, 4300n * MS, 'svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p', SYSTEM);
  spawn(services, 4500n * MS, 'svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p', LOCAL_SERVICE);
  spawn(services, 5n * S, 'MsMpEng.exe', '"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24050.7-0\\MsMpEng.exe"', SYSTEM);
  if (role.kind === 'workstation') spawn(services, 6n * S, 'CcmExec.exe', 'C:\\Windows\\CCM\\CcmExec.exe', SYSTEM);
  if (!silent) {
    sim.connect(rpcss, at + 4n * S, { actionType: 'ListeningConnectionCreated', localIp: '0.0.0.0', localPort: 135, remoteIp: '', remotePort: 0 });
    sim.connect(rpcss, at + 4n * S + 2n * MS, { actionType: 'ListeningConnectionCreated', localIp: '::', localPort: 135, remoteIp: '', remotePort: 0 });
  }
  let explorer: SimProcess | null = null;
  const user = role.user ?? SYSTEM;
  if (role.user) {
    const logon = BigInt(rng.int(40, 120)) * S;
    const userinit = spawn(winlogon, logon, 'userinit.exe', 'C:\\Windows\\system32\\userinit.exe', role.user);
    explorer = spawn(userinit, logon + 800n * MS, 'explorer.exe', 'C:\\Windows\\Explorer.EXE', role.user);
    sim.exit(userinit);
    spawn(explorer, logon + 6n * S, 'OneDrive.exe', '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background', role.user);
  }
  return { services, rpcss, dcomLaunch, explorer, user };
}

const PUBLIC_HOSTS = ['www.office.com', 'login.microsoftonline.com', 'teams.microsoft.com', 'www.bing.com', 'github.com', 'news.example.org'];

/** One benign action at `at`; returns processes that may end later. */
export function benignAction(sim: DeviceSim, hosts: DeviceHosts, role: DeviceRole, at: Ticks, rng: Rng): SimProcess[] {
  const ip = sim.identity.ip;
  const ephemeral = (): number => rng.int(49152, 65535);
  const outbound = (owner: SimProcess, when: Ticks, remoteIp: string, remotePort: number, url = ''): void =>
    sim.connect(owner, when, { actionType: 'ConnectionSuccess', localIp: ip, localPort: ephemeral(), remoteIp, remotePort, remoteUrl: url });
  const publicIp = (): string => `${rng.pick([13, 20, 40, 52, 104, 142])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const roll = rng.next();
  const user = hosts.user;
  if (roll < 0.22 && hosts.explorer) {
    const browser = rng.pick(['msedge.exe', 'chrome.exe']);
    const main = sim.spawn(hosts.explorer, at, binary(browser), `"${binary(browser).folderPath}" --profile-directory=Default`, user);
    const renderer = sim.spawn(main, at + 300n * MS, binary(browser), `"${binary(browser).folderPath}" --type=renderer --lang=en-US --renderer-client-id=${rng.int(5, 99)}`, { ...user, integrity: 'Low' });
    for (let i = 0; i < 3; i++) outbound(main, at + BigInt(i + 1) * 700n * MS, publicIp(), 443, rng.pick(PUBLIC_HOSTS));
    return [main, renderer];
  }
  if (roll < 0.34 && hosts.explorer) {
    const app = rng.pick(['WINWORD.EXE', 'EXCEL.EXE', 'OUTLOOK.EXE', 'Teams.exe']);
    const process = sim.spawn(hosts.explorer, at, binary(app), `"${binary(app).folderPath}"`, user);
    outbound(process, at + 2n * S, publicIp(), 443, 'outlook.office365.com');
    return [process];
  }
  if (roll < 0.56) {
    const [name, commandLine, account] = rng.pick([
      ['RuntimeBroker.exe', 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding', user],
      ['backgroundTaskHost.exe', '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountBackgroundManagerTask', user],
      ['dllhost.exe', `C:\\Windows\\system32\\DllHost.exe /Processid:${rng.pick(BENIGN_CLSIDS)}`, user],
      ['smartscreen.exe', 'C:\\Windows\\System32\\smartscreen.exe -Embedding', user],
      ['SppExtComObj.Exe', 'C:\\Windows\\System32\\SppExtComObj.Exe -Embedding', NETWORK_SERVICE],
      ['WmiPrvSE.exe', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', NETWORK_SERVICE],
    ] as const);
    return [sim.spawn(hosts.dcomLaunch, at, binary(name), commandLine, account)];
  }
  if (roll < 0.66) {
    const task = sim.spawn(hosts.services, at, binary('taskhostw.exe'), 'taskhostw.exe', SYSTEM);
    return [task];
  }
  if (roll < 0.76 && role.dcIp) {
    // Domain traffic: the endpoint mapper on the domain controller, then the dynamic RPC port.
    outbound(hosts.rpcss, at, role.dcIp, 135);
    outbound(hosts.rpcss, at + 40n * MS, role.dcIp, rng.int(49664, 49700));
    return [];
  }
  if (roll < 0.84 && role.mgmtIp && role.kind === 'workstation') {
    // Remote WMI from the management server: inbound to RPCSS, then WmiPrvSE, sometimes a command.
    sim.connect(hosts.rpcss, at, { actionType: 'InboundConnectionAccepted', localIp: ip, localPort: 135, remoteIp: role.mgmtIp, remotePort: ephemeral() });
    const wmi = sim.spawn(hosts.dcomLaunch, at + BigInt(rng.int(200, 1500)) * MS, binary('WmiPrvSE.exe'), 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', NETWORK_SERVICE);
    if (rng.chance(0.5)) sim.spawn(wmi, at + 2n * S, binary('cmd.exe'), 'cmd.exe /c "C:\\Windows\\CCM\\ccmeval.exe"', SYSTEM);
    return [wmi];
  }
  if (roll < 0.9 && role.kind === 'dc') {
    sim.connect(hosts.rpcss, at, { actionType: 'InboundConnectionAccepted', localIp: ip, localPort: 135, remoteIp: `10.20.0.${rng.int(12, 250)}`, remotePort: ephemeral() });
    return [];
  }
  if (roll < 0.95 && hosts.explorer) {
    const cmd = sim.spawn(hosts.explorer, at, binary('cmd.exe'), '"C:\\Windows\\system32\\cmd.exe"', user);
    const [tool, commandLine] = rng.pick([['ipconfig.exe', 'ipconfig /all'], ['whoami.exe', 'whoami']] as const);
    sim.spawn(cmd, at + BigInt(rng.int(3, 40)) * S, binary(tool), commandLine, user);
    return [cmd];
  }
  outbound(hosts.services, at, publicIp(), 443, 'wdcp.microsoft.com');
  return [];
}
