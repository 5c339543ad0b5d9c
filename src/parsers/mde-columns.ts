// The Advanced Hunting schemas of DeviceProcessEvents and DeviceNetworkEvents as data: column name -> type.
// Order is the documented column order and fixes the position of each value in the stored column array
// (see columns-codec.ts): columns may only ever be appended to these lists, never inserted or removed.
import type { TableName } from '../domain';

export type ColumnType = 'string' | 'long' | 'int' | 'datetime' | 'dynamic' | 'bool';

const INITIATING_PROCESS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['InitiatingProcessAccountDomain', 'string'],
  ['InitiatingProcessAccountName', 'string'],
  ['InitiatingProcessAccountSid', 'string'],
  ['InitiatingProcessAccountUpn', 'string'],
  ['InitiatingProcessAccountObjectId', 'string'],
  ['InitiatingProcessLogonId', 'long'],
  ['InitiatingProcessIntegrityLevel', 'string'],
  ['InitiatingProcessTokenElevation', 'string'],
  ['InitiatingProcessSHA1', 'string'],
  ['InitiatingProcessSHA256', 'string'],
  ['InitiatingProcessMD5', 'string'],
  ['InitiatingProcessFileName', 'string'],
  ['InitiatingProcessFileSize', 'long'],
  ['InitiatingProcessVersionInfoCompanyName', 'string'],
  ['InitiatingProcessVersionInfoProductName', 'string'],
  ['InitiatingProcessVersionInfoProductVersion', 'string'],
  ['InitiatingProcessVersionInfoInternalFileName', 'string'],
  ['InitiatingProcessVersionInfoOriginalFileName', 'string'],
  ['InitiatingProcessVersionInfoFileDescription', 'string'],
  ['InitiatingProcessId', 'long'],
  ['InitiatingProcessCommandLine', 'string'],
  ['InitiatingProcessCreationTime', 'datetime'],
  ['InitiatingProcessFolderPath', 'string'],
  ['InitiatingProcessParentId', 'long'],
  ['InitiatingProcessParentFileName', 'string'],
  ['InitiatingProcessParentCreationTime', 'datetime'],
  ['InitiatingProcessSignerType', 'string'],
  ['InitiatingProcessSignatureStatus', 'string'],
  ['InitiatingProcessSessionId', 'long'],
  ['IsInitiatingProcessRemoteSession', 'bool'],
  ['InitiatingProcessRemoteSessionDeviceName', 'string'],
  ['InitiatingProcessRemoteSessionIP', 'string'],
  ['InitiatingProcessUniqueId', 'string'],
];

const PROCESS_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['Timestamp', 'datetime'],
  ['DeviceId', 'string'],
  ['DeviceName', 'string'],
  ['ActionType', 'string'],
  ['FileName', 'string'],
  ['FolderPath', 'string'],
  ['SHA1', 'string'],
  ['SHA256', 'string'],
  ['MD5', 'string'],
  ['FileSize', 'long'],
  ['ProcessVersionInfoCompanyName', 'string'],
  ['ProcessVersionInfoProductName', 'string'],
  ['ProcessVersionInfoProductVersion', 'string'],
  ['ProcessVersionInfoInternalFileName', 'string'],
  ['ProcessVersionInfoOriginalFileName', 'string'],
  ['ProcessVersionInfoFileDescription', 'string'],
  ['ProcessId', 'long'],
  ['ProcessCommandLine', 'string'],
  ['ProcessIntegrityLevel', 'string'],
  ['ProcessTokenElevation', 'string'],
  ['ProcessCreationTime', 'datetime'],
  ['AccountDomain', 'string'],
  ['AccountName', 'string'],
  ['AccountSid', 'string'],
  ['AccountUpn', 'string'],
  ['AccountObjectId', 'string'],
  ['LogonId', 'long'],
  ...INITIATING_PROCESS,
  ['ReportId', 'long'],
  ['AppGuardContainerId', 'string'],
  ['AdditionalFields', 'dynamic'],
  ['CreatedProcessSessionId', 'long'],
  ['IsProcessRemoteSession', 'bool'],
  ['ProcessRemoteSessionDeviceName', 'string'],
  ['ProcessRemoteSessionIP', 'string'],
  ['ProcessUniqueId', 'string'],
];

const NETWORK_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['Timestamp', 'datetime'],
  ['DeviceId', 'string'],
  ['DeviceName', 'string'],
  ['ActionType', 'string'],
  ['RemoteIP', 'string'],
  ['RemotePort', 'int'],
  ['RemoteUrl', 'string'],
  ['LocalIP', 'string'],
  ['LocalPort', 'int'],
  ['Protocol', 'string'],
  ['LocalIPType', 'string'],
  ['RemoteIPType', 'string'],
  ...INITIATING_PROCESS,
  ['ReportId', 'long'],
  ['AppGuardContainerId', 'string'],
  ['AdditionalFields', 'dynamic'],
];

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Position in the stored column array. */
  index: number;
}

const specs = (columns: ReadonlyArray<readonly [string, ColumnType]>): ReadonlyMap<string, ColumnSpec> =>
  new Map(columns.map(([name, type], index) => [name, { name, type, index }]));

/** Column name -> spec, per table, in canonical order. */
export const MDE_COLUMNS: Readonly<Record<TableName, ReadonlyMap<string, ColumnSpec>>> = {
  DeviceProcessEvents: specs(PROCESS_COLUMNS),
  DeviceNetworkEvents: specs(NETWORK_COLUMNS),
};

/** Column specs per table, by position. */
export const MDE_COLUMN_LIST: Readonly<Record<TableName, readonly ColumnSpec[]>> = {
  DeviceProcessEvents: [...MDE_COLUMNS.DeviceProcessEvents.values()],
  DeviceNetworkEvents: [...MDE_COLUMNS.DeviceNetworkEvents.values()],
};

/** Columns that only one of the two tables has: used to tell the table of a row that does not name it. */
export const PROCESS_ONLY_MARKERS = ['ProcessCommandLine', 'ProcessId', 'ProcessCreationTime'] as const;
export const NETWORK_ONLY_MARKERS = ['RemoteIP', 'RemotePort', 'LocalPort'] as const;
