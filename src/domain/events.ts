// The closed union every parser normalises into. Flat on purpose: events cross a worker boundary by
// structured clone, and flat records of primitives clone several times faster than nested objects.
import type { Ticks } from './ticks';

/** Normalised table names; Sysmon- and Security-derived events map onto the same two kinds. */
export type TableName = 'DeviceProcessEvents' | 'DeviceNetworkEvents';
export const TABLE_NAMES: readonly TableName[] = ['DeviceProcessEvents', 'DeviceNetworkEvents'];

interface EventBase {
  /** Event time as exact ticks, and the text it was read from. */
  time: Ticks;
  timeText: string;
  deviceId: string;
  deviceName: string;
  actionType: string;
  /** The source's per-device event counter (MDE ReportId) as text; '' when the source has none. */
  reportId: string;
  /** Stable identity within (device, time): see `eventIdentity`. */
  identity: number;
  /** The process that caused the event (MDE InitiatingProcess*). */
  initiatorPid: number | null;
  initiatorCreatedAt: Ticks | null;
  initiatorFileName: string;
  initiatorFolderPath: string;
  initiatorCommandLine: string;
  initiatorUniqueId: string;
  initiatorAccountName: string;
  /** The initiator's parent (MDE InitiatingProcessParent*). */
  parentPid: number | null;
  parentCreatedAt: Ticks | null;
  parentFileName: string;
  /** Every column of the source row as stored: MDE values packed in schema order (parsers/columns-codec.ts), a Windows record as its JSON. */
  columnsText: string;
}

export interface ProcessEvent extends EventBase {
  kind: 'process';
  table: 'DeviceProcessEvents';
  pid: number | null;
  createdAt: Ticks | null;
  fileName: string;
  folderPath: string;
  commandLine: string;
  uniqueId: string;
  accountName: string;
}

export interface NetworkEvent extends EventBase {
  kind: 'network';
  table: 'DeviceNetworkEvents';
  localIp: string;
  localPort: number | null;
  remoteIp: string;
  remotePort: number | null;
  protocol: string;
}

export type NormalizedEvent = ProcessEvent | NetworkEvent;

/**
 * The action of a process-end record (Sysmon 5, Security 4689). Stored with the process events, so every event is
 * kept, but it is never a process start: boots, searches and the graph read it as the end of a process's life.
 */
export const PROCESS_TERMINATED = 'ProcessTerminated';

/** Where a raw record came from, for messages and provenance. */
export interface SourcePosition {
  file: string;
  line: number;
}

/** A record the parser could not turn into an event: reported, counted and kept with its raw text. */
export interface ParseIssue extends SourcePosition {
  message: string;
  raw: string;
}

/** A record that was stored, with something the user should know about it (a time rounded by the exporter). */
export interface ParseWarning extends SourcePosition {
  message: string;
}

/** What a parser returns for one raw record. */
export type ParseOutcome =
  | { ok: NormalizedEvent; warning?: ParseWarning }
  | { issue: ParseIssue }
  | { skipped: string }
  /** The record needs something learned later in the same file (a collector's clock offset): read it again then. */
  | { defer: true };
