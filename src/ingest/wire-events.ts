// Events as they cross from a parse worker to the store writer: one array of values each, not an object.
// Structured clone writes the name of every property of every object it copies and reads them back on the other
// side; for a process event that was most of the cost of the crossing (2.0 µs to post it and 1.9 µs to receive it,
// against 0.6 and 0.7 µs as an array). The writer thread is Lineage's bottleneck, so what it saves counts twice.
import type { NetworkEvent, NormalizedEvent, ProcessEvent, Ticks } from '../domain';
import type { ParsedChunk } from './parsed-chunk';

/** An event's values in a fixed order, its kind first (0 process, 1 network): see toWire / fromWire. */
export type WireEvent = unknown[];

const PROCESS = 0;
const NETWORK = 1;

/** `event` as an array of its values. */
export function toWire(e: NormalizedEvent): WireEvent {
  if (e.kind === 'process') {
    return [PROCESS, e.time, e.timeText, e.deviceId, e.deviceName, e.actionType, e.reportId, e.identity, e.initiatorPid,
      e.initiatorCreatedAt, e.initiatorFileName, e.initiatorFolderPath, e.initiatorCommandLine, e.initiatorUniqueId,
      e.initiatorAccountName, e.parentPid, e.parentCreatedAt, e.parentFileName, e.columnsText,
      e.pid, e.createdAt, e.fileName, e.folderPath, e.commandLine, e.uniqueId, e.accountName];
  }
  return [NETWORK, e.time, e.timeText, e.deviceId, e.deviceName, e.actionType, e.reportId, e.identity, e.initiatorPid,
    e.initiatorCreatedAt, e.initiatorFileName, e.initiatorFolderPath, e.initiatorCommandLine, e.initiatorUniqueId,
    e.initiatorAccountName, e.parentPid, e.parentCreatedAt, e.parentFileName, e.columnsText,
    e.localIp, e.localPort, e.remoteIp, e.remotePort, e.protocol];
}

const str = (v: unknown): string => v as string;
const int = (v: unknown): number | null => v as number | null;
const ticks = (v: unknown): Ticks | null => v as Ticks | null;

/** The event `w` carries (the inverse of toWire). Each kind is one object literal, so every event has one shape. */
export function fromWire(w: WireEvent): NormalizedEvent {
  if (w[0] === PROCESS) {
    const event: ProcessEvent = {
      kind: 'process', table: 'DeviceProcessEvents', time: w[1] as Ticks, timeText: str(w[2]), deviceId: str(w[3]),
      deviceName: str(w[4]), actionType: str(w[5]), reportId: str(w[6]), identity: w[7] as number, initiatorPid: int(w[8]),
      initiatorCreatedAt: ticks(w[9]), initiatorFileName: str(w[10]), initiatorFolderPath: str(w[11]),
      initiatorCommandLine: str(w[12]), initiatorUniqueId: str(w[13]), initiatorAccountName: str(w[14]), parentPid: int(w[15]),
      parentCreatedAt: ticks(w[16]), parentFileName: str(w[17]), columnsText: str(w[18]),
      pid: int(w[19]), createdAt: ticks(w[20]), fileName: str(w[21]), folderPath: str(w[22]), commandLine: str(w[23]),
      uniqueId: str(w[24]), accountName: str(w[25]),
    };
    return event;
  }
  const event: NetworkEvent = {
    kind: 'network', table: 'DeviceNetworkEvents', time: w[1] as Ticks, timeText: str(w[2]), deviceId: str(w[3]),
    deviceName: str(w[4]), actionType: str(w[5]), reportId: str(w[6]), identity: w[7] as number, initiatorPid: int(w[8]),
    initiatorCreatedAt: ticks(w[9]), initiatorFileName: str(w[10]), initiatorFolderPath: str(w[11]),
    initiatorCommandLine: str(w[12]), initiatorUniqueId: str(w[13]), initiatorAccountName: str(w[14]), parentPid: int(w[15]),
    parentCreatedAt: ticks(w[16]), parentFileName: str(w[17]), columnsText: str(w[18]),
    localIp: str(w[19]), localPort: int(w[20]), remoteIp: str(w[21]), remotePort: int(w[22]), protocol: str(w[23]),
  };
  return event;
}

/** A chunk as it crosses threads: its events as arrays. */
export type WireChunk = Omit<ParsedChunk, 'events'> & { events: WireEvent[] };

/** `chunk` ready to post: its events as arrays (the chunk itself is left as it was). */
export function chunkToWire(chunk: ParsedChunk): WireChunk {
  return { ...chunk, events: chunk.events.map(toWire) };
}

/** The chunk a posted WireChunk carries. */
export function chunkFromWire(chunk: WireChunk): ParsedChunk {
  return { ...chunk, events: chunk.events.map(fromWire) };
}
