// How stored event rows are selected and turned back into normalised events (hot columns; columnsJson not loaded).
import type { StoredNetworkEvent, StoredProcessEvent, Ticks } from '../domain';

/** Columns of process_events `e` joined with devices `d`, in the order processFromRow reads them. */
export const PROCESS_SELECT = `d.device_id, e.id, e.ts, e.ts_text, e.ident, e.device_name, e.action_type, e.report_id, e.pid,
  e.created, e.file_name, e.folder_path, e.cmdline, e.unique_id, e.account_name, e.init_pid, e.init_created, e.init_file_name,
  e.init_folder_path, e.init_cmdline, e.init_unique_id, e.init_account_name, e.parent_pid, e.parent_created, e.parent_file_name`;

/** Columns of network_events `e` joined with devices `d`, in the order networkFromRow reads them. */
export const NETWORK_SELECT = `d.device_id, e.id, e.ts, e.ts_text, e.ident, e.device_name, e.action_type, e.report_id,
  e.local_ip, e.local_port, e.remote_ip, e.remote_port, e.protocol, e.init_pid, e.init_created, e.init_file_name,
  e.init_folder_path, e.init_cmdline, e.init_unique_id, e.init_account_name, e.parent_pid, e.parent_created, e.parent_file_name`;

const n = (v: unknown): number | null => (v === null ? null : Number(v));
const t = (v: unknown): Ticks | null => (v === null ? null : (v as bigint));
const s = (v: unknown): string => v as string;

/** A raw (safeIntegers) row of PROCESS_SELECT as an event. */
export function processFromRow(r: unknown[]): StoredProcessEvent {
  return {
    kind: 'process', table: 'DeviceProcessEvents', deviceId: s(r[0]), id: Number(r[1]), time: r[2] as bigint, timeText: s(r[3]),
    identity: Number(r[4]), deviceName: s(r[5]), actionType: s(r[6]), reportId: s(r[7]), pid: n(r[8]), createdAt: t(r[9]),
    fileName: s(r[10]), folderPath: s(r[11]), commandLine: s(r[12]), uniqueId: s(r[13]), accountName: s(r[14]),
    initiatorPid: n(r[15]), initiatorCreatedAt: t(r[16]), initiatorFileName: s(r[17]), initiatorFolderPath: s(r[18]),
    initiatorCommandLine: s(r[19]), initiatorUniqueId: s(r[20]), initiatorAccountName: s(r[21]), parentPid: n(r[22]),
    parentCreatedAt: t(r[23]), parentFileName: s(r[24]), columnsJson: '',
  };
}

/** A raw (safeIntegers) row of NETWORK_SELECT as an event. */
export function networkFromRow(r: unknown[]): StoredNetworkEvent {
  return {
    kind: 'network', table: 'DeviceNetworkEvents', deviceId: s(r[0]), id: Number(r[1]), time: r[2] as bigint, timeText: s(r[3]),
    identity: Number(r[4]), deviceName: s(r[5]), actionType: s(r[6]), reportId: s(r[7]), localIp: s(r[8]), localPort: n(r[9]),
    remoteIp: s(r[10]), remotePort: n(r[11]), protocol: s(r[12]), initiatorPid: n(r[13]), initiatorCreatedAt: t(r[14]),
    initiatorFileName: s(r[15]), initiatorFolderPath: s(r[16]), initiatorCommandLine: s(r[17]), initiatorUniqueId: s(r[18]),
    initiatorAccountName: s(r[19]), parentPid: n(r[20]), parentCreatedAt: t(r[21]), parentFileName: s(r[22]), columnsJson: '',
  };
}

export const MIN_TICKS = -(2n ** 62n);
export const MAX_TICKS = 2n ** 62n;
