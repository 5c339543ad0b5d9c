// Typed node and edge attributes of a device's provenance graph (graphology), as discriminated unions.
import type Graph from 'graphology';
import type { Ticks } from '../domain';
import type { Clock } from './derive-attributes';

export interface ProcessNode {
  kind: 'process';
  deviceId: string;
  pid: number | null;
  createdAt: Ticks | null;
  /** Best known time of the process: its creation time, else the Timestamp of its creation event. */
  time: Ticks | null;
  fileName: string;
  folderPath: string;
  commandLine: string;
  accountName: string;
  uniqueId: string;
  /** Service group of an svchost.exe (`-k <group>`), lower case; '' when none. */
  serviceGroup: string;
  /** COM class of a surrogate (`dllhost.exe /Processid:{...}`), upper case; '' when none. */
  clsid: string;
  /** The process's own creation event is in the graph (not only mentioned as someone's parent). */
  observed: boolean;
  /** Store ids of the events that mention this process. */
  eventIds: number[];
  /** Store id of the process's own creation event, when it is in the graph. */
  creationEventId: number | null;
  /** When the process ended (Sysmon 5, Security 4689), when that is in the graph. */
  endedAt: Ticks | null;
}

export type ConnectionDirection = 'inbound' | 'outbound' | 'listening' | 'other';

export interface ConnectionNode {
  kind: 'connection';
  deviceId: string;
  eventId: number;
  time: Ticks;
  actionType: string;
  direction: ConnectionDirection;
  localIp: string;
  localPort: number | null;
  remoteIp: string;
  remotePort: number | null;
  protocol: string;
  /** The remote end is this host (loopback, or one of its own addresses, in any notation). */
  remoteIsLocal: boolean;
  blocked: boolean;
  /** How exact `time` is, by the log it came from (see clockOf). */
  clock: Clock;
  /** Store ids of other records of the same connection merged into this node (a Sysmon 3 beside its Security 5156). */
  mergedEventIds: number[];
}

export type NodeAttributes = ProcessNode | ConnectionNode;

export type EdgeAttributes =
  | { kind: 'spawned'; time: Ticks | null }
  | { kind: 'connection'; time: Ticks };

export interface GraphAttributes {
  deviceId: string;
  deviceName: string;
  /** Boots of the device (services.exe starts) over the whole stored history, ascending. */
  boots: Ticks[];
}

export type DeviceGraph = Graph<NodeAttributes, EdgeAttributes, GraphAttributes>;
