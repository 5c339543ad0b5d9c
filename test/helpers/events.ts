// Hand-made stored events for unit tests of the graph and the patterns.
import { parseTime, type StoredNetworkEvent, type StoredProcessEvent } from '../../src/domain';

let nextId = 1;
const at = (text: string) => parseTime(text)!.ticks;
const DEVICE = 'dev1';

export interface ProcessSpec {
  time: string;
  pid: number;
  file: string;
  cmd?: string;
  path?: string;
  created?: string;
  parent: { pid: number; file: string; cmd?: string; created: string; path?: string };
  grandparent?: { pid: number; file: string; created: string };
}

/** A ProcessCreated event. */
export function processEvent(spec: ProcessSpec): StoredProcessEvent {
  return {
    kind: 'process', table: 'DeviceProcessEvents', id: nextId++, time: at(spec.time), timeText: spec.time, deviceId: DEVICE, deviceName: 'ws1',
    actionType: 'ProcessCreated', reportId: '', identity: 0, pid: spec.pid, createdAt: at(spec.created ?? spec.time), fileName: spec.file,
    folderPath: spec.path ?? `C:\\Windows\\System32\\${spec.file}`, commandLine: spec.cmd ?? spec.file, uniqueId: '', accountName: 'alice',
    initiatorPid: spec.parent.pid, initiatorCreatedAt: at(spec.parent.created), initiatorFileName: spec.parent.file,
    initiatorFolderPath: spec.parent.path ?? `c:\\windows\\system32\\${spec.parent.file.toLowerCase()}`, initiatorCommandLine: spec.parent.cmd ?? spec.parent.file,
    initiatorUniqueId: '', initiatorAccountName: 'system', parentPid: spec.grandparent?.pid ?? null,
    parentCreatedAt: spec.grandparent ? at(spec.grandparent.created) : null, parentFileName: spec.grandparent?.file ?? '', columnsText: '',
  };
}

/** A network event owned by `owner`. */
export function networkEvent(spec: { time: string; action: string; localIp?: string; localPort: number; remoteIp: string; owner: { pid: number; file: string; cmd: string; created: string; account?: string } }): StoredNetworkEvent {
  return {
    kind: 'network', table: 'DeviceNetworkEvents', id: nextId++, time: at(spec.time), timeText: spec.time, deviceId: DEVICE, deviceName: 'ws1',
    actionType: spec.action, reportId: '', identity: 0, localIp: spec.localIp ?? '10.0.0.5', localPort: spec.localPort, remoteIp: spec.remoteIp,
    remotePort: 50000, protocol: 'Tcp', initiatorPid: spec.owner.pid, initiatorCreatedAt: at(spec.owner.created),
    initiatorFileName: spec.owner.file, initiatorFolderPath: `c:\\windows\\system32\\${spec.owner.file}`, initiatorCommandLine: spec.owner.cmd,
    initiatorUniqueId: '', initiatorAccountName: spec.owner.account ?? 'network service', parentPid: 700, parentCreatedAt: at('2024-01-01T08:00:00Z'),
    parentFileName: 'services.exe', columnsText: '',
  };
}

export const SERVICES = { pid: 700, file: 'services.exe', created: '2024-01-01T08:00:00Z' };
export const DCOMLAUNCH = { pid: 900, file: 'svchost.exe', cmd: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p', created: '2024-01-01T08:00:01Z' };
export const RPCSS = { pid: 1000, file: 'svchost.exe', cmd: 'C:\\Windows\\system32\\svchost.exe -k RPCSS -p', created: '2024-01-01T08:00:02Z' };
