// A brute-force implementation of the Sentinel rule written straight from the KQL, for differential tests: every
// operator as a nested loop over all events, with its own implementations of `has`, bin() and datetime_diff().
import type { StoredNetworkEvent, StoredProcessEvent } from '../../src/domain';
import { formatTicks } from '../../src/domain';
import type { SentinelRow } from '../../src/detect';

const lower = (s: string) => s.toLowerCase();
const terms = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
const hasTerm = (s: string, term: string) => terms(s).includes(term.toLowerCase());
const SEC = 10_000_000n;
const floorBy = (t: bigint, size: bigint) => { const q = t / size; return (t % size !== 0n && t < 0n ? q - 1n : q) * size; };
const allowListedExecs = ['TiWorker.exe', 'dllhost.exe', 'backgroundTaskHost.exe', 'mobsync.exe', 'WmiPrvSE.exe', 'RuntimeBroker.exe', 'smartscreen.exe', 'SppExtComObj.Exe', 'usocoreworker.exe', 'browser_broker.exe', 'ssoncom.exe'];

/** The rule over the events with from <= Timestamp < to. */
export function kqlReference(allNet: StoredNetworkEvent[], allProc: StoredProcessEvent[], from: bigint | null, to: bigint | null): SentinelRow[] {
  const inWindow = (t: bigint) => (from === null || t >= from) && (to === null || t < to);
  const DeviceNetworkEvents = allNet.filter((e) => inWindow(e.time));
  const DeviceProcessEvents = allProc.filter((e) => inWindow(e.time));
  const rpcNetwEvents = DeviceNetworkEvents
    .filter((e) => lower(e.initiatorFileName) === 'svchost.exe' && hasTerm(e.initiatorCommandLine, 'rpcss') && e.localPort === 135)
    .filter((e) => lower(e.localIp) !== lower(e.remoteIp) && e.actionType !== 'ListeningConnectionCreated')
    .map((e) => ({ TimestampNetwEvent: floorBy(e.time, 5n * SEC), TimestampNetwEventExact: e.time, DeviceId: e.deviceId, DeviceName: e.deviceName,
      RPCHostID: e.initiatorPid, LocalIP: e.localIp, RemoteIP: e.remoteIp }));
  const dcomProcEvents = DeviceProcessEvents
    .filter((e) => lower(e.initiatorFileName) === 'svchost.exe' && hasTerm(e.initiatorCommandLine, 'dcomlaunch'))
    .map((e) => ({ TimestampProcEvent: floorBy(e.time, 5n * SEC), TimestampProcEventExact: e.time, DeviceId: e.deviceId,
      DCOMHostPID: e.initiatorPid, DCOMPID: e.pid, DCOMFileName: e.fileName, DCOMCmdLine: e.commandLine }));
  const lastBootTime = new Map<string, bigint>();
  for (const e of DeviceProcessEvents) {
    if (lower(e.fileName) !== 'services.exe') continue;
    const seen = lastBootTime.get(e.deviceId);
    if (seen === undefined || e.time > seen) lastBootTime.set(e.deviceId, e.time);
  }
  const RemoteDcomProcs = [];
  for (const r of rpcNetwEvents) {
    for (const d of dcomProcEvents) {
      if (r.DeviceId !== d.DeviceId) continue;
      const LastBootTime = lastBootTime.get(r.DeviceId) ?? null;
      if (LastBootTime === null || !(d.TimestampProcEvent > LastBootTime + 300n * SEC)) continue;
      const diff = floorBy(d.TimestampProcEventExact, SEC) / SEC - floorBy(r.TimestampNetwEventExact, SEC) / SEC;
      if (diff < 0n || diff > 2n) continue;
      if (allowListedExecs.some((x) => lower(x) === lower(d.DCOMFileName))) continue;
      RemoteDcomProcs.push({ ...r, ...d, LastBootTime });
    }
  }
  const names = RemoteDcomProcs.map((r) => r.DCOMFileName);
  const right = DeviceProcessEvents.filter((e) => lower(e.parentFileName) === 'svchost.exe' && names.includes(e.initiatorFileName));
  const groups = new Map<string, { row: SentinelRow; set: Set<string> }>();
  for (const l of RemoteDcomProcs) {
    for (const r of right) {
      if (l.DCOMHostPID === null || r.parentPid === null || l.DCOMHostPID !== r.parentPid) continue;
      if (l.DeviceId !== r.deviceId) continue;
      if (l.DCOMPID === null || r.initiatorPid === null || l.DCOMPID !== r.initiatorPid) continue;
      if (!(lower(r.parentFileName) === 'svchost.exe' && lower(r.initiatorFileName) === lower(l.DCOMFileName))) continue;
      if (lower(r.fileName) === 'csc.exe') continue;
      const row: SentinelRow = {
        TimestampNetwEventExact: formatTicks(l.TimestampNetwEventExact), TimestampProcEventExact: formatTicks(l.TimestampProcEventExact),
        DeviceId: l.DeviceId, DeviceName: l.DeviceName, InitiatingProcessId: r.initiatorPid, LocalIP: l.LocalIP, RemoteIP: l.RemoteIP,
        LastBootTime: formatTicks(l.LastBootTime), DCOMCmdLine: l.DCOMCmdLine, set_ProcessCommandLine: [],
      };
      const key = JSON.stringify({ ...row, set_ProcessCommandLine: undefined });
      const group = groups.get(key) ?? groups.set(key, { row, set: new Set() }).get(key)!;
      group.set.add(r.commandLine);
    }
  }
  return [...groups.values()].map(({ row, set }) => ({ ...row, set_ProcessCommandLine: [...set].sort() }));
}
