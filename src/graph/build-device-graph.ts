// Folds one device's events into its provenance graph. Each process event contributes up to three generations
// (the process, its initiating process, that one's parent), merged with what other events say about the same
// process; each network event a connection node owned by its initiating process. Process identity is
// (device, PID, creation time) or the source's own unique process id, so a reused PID is a new node.
import Graph from 'graphology';
import { processKey, type StoredNetworkEvent, type StoredProcessEvent, type Ticks } from '../domain';
import { clsidOf, directionOf, isLocalPeer, serviceGroupOf } from './derive-attributes';
import type { ConnectionNode, DeviceGraph, ProcessNode } from './types';

export interface GraphInput {
  deviceId: string;
  deviceName: string;
  processes: readonly StoredProcessEvent[];
  network: readonly StoredNetworkEvent[];
  boots: readonly Ticks[];
}

interface ProcessFacts {
  pid: number | null;
  createdAt: Ticks | null;
  uniqueId?: string;
  fileName: string;
  folderPath?: string;
  commandLine?: string;
  accountName?: string;
}

function upsertProcess(graph: DeviceGraph, deviceId: string, facts: ProcessFacts, eventId: number, observedAt: Ticks | null): string {
  const key = processKey({ deviceId, pid: facts.pid, createdAt: facts.createdAt, uniqueId: facts.uniqueId });
  const existing = graph.hasNode(key) ? (graph.getNodeAttributes(key) as ProcessNode) : null;
  if (!existing) {
    const commandLine = facts.commandLine ?? '';
    graph.addNode(key, {
      kind: 'process', deviceId, pid: facts.pid, createdAt: facts.createdAt, time: facts.createdAt ?? observedAt,
      fileName: facts.fileName, folderPath: facts.folderPath ?? '', commandLine, accountName: facts.accountName ?? '',
      uniqueId: facts.uniqueId ?? '', serviceGroup: serviceGroupOf(commandLine), clsid: clsidOf(commandLine),
      observed: observedAt !== null, eventIds: [eventId], creationEventId: observedAt !== null ? eventId : null,
    });
    return key;
  }
  // Merge: the process's own creation event wins; otherwise fill what is still unknown.
  const own = observedAt !== null && !existing.observed;
  const pick = (current: string, next: string | undefined): string => (own && next ? next : current || next || '');
  const commandLine = pick(existing.commandLine, facts.commandLine);
  graph.mergeNodeAttributes(key, {
    fileName: pick(existing.fileName, facts.fileName), folderPath: pick(existing.folderPath, facts.folderPath),
    commandLine, accountName: pick(existing.accountName, facts.accountName), serviceGroup: serviceGroupOf(commandLine),
    clsid: clsidOf(commandLine), observed: existing.observed || observedAt !== null,
    creationEventId: existing.creationEventId ?? (observedAt !== null ? eventId : null),
    time: existing.time ?? facts.createdAt ?? observedAt,
  });
  if (existing.eventIds[existing.eventIds.length - 1] !== eventId) existing.eventIds.push(eventId);
  return key;
}

function link(graph: DeviceGraph, parent: string, child: string, time: Ticks | null): void {
  if (parent !== child && !graph.hasEdge(parent, child)) graph.addDirectedEdge(parent, child, { kind: 'spawned', time });
}

/** The initiating process and its parent, as an event describes them; returns the initiating process's key. */
function addInitiators(graph: DeviceGraph, event: StoredProcessEvent | StoredNetworkEvent): string | null {
  if (event.initiatorPid === null && event.initiatorUniqueId === '' && event.initiatorFileName === '') return null;
  const initiator = upsertProcess(graph, event.deviceId, {
    pid: event.initiatorPid, createdAt: event.initiatorCreatedAt, uniqueId: event.initiatorUniqueId, fileName: event.initiatorFileName,
    folderPath: event.initiatorFolderPath, commandLine: event.initiatorCommandLine, accountName: event.initiatorAccountName,
  }, event.id, null);
  if (event.parentPid !== null || event.parentFileName !== '') {
    const parent = upsertProcess(graph, event.deviceId, { pid: event.parentPid, createdAt: event.parentCreatedAt, fileName: event.parentFileName }, event.id, null);
    link(graph, parent, initiator, event.initiatorCreatedAt);
  }
  return initiator;
}

/** The provenance graph of one device over the given events. */
export function buildDeviceGraph(input: GraphInput): DeviceGraph {
  const graph: DeviceGraph = new Graph({ type: 'directed', multi: false, allowSelfLoops: false });
  graph.replaceAttributes({ deviceId: input.deviceId, deviceName: input.deviceName, boots: [...input.boots].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) });
  for (const event of input.processes) {
    const initiator = addInitiators(graph, event);
    const process = upsertProcess(graph, event.deviceId, {
      pid: event.pid, createdAt: event.createdAt, uniqueId: event.uniqueId, fileName: event.fileName, folderPath: event.folderPath,
      commandLine: event.commandLine, accountName: event.accountName,
    }, event.id, event.time);
    if (initiator) link(graph, initiator, process, event.createdAt ?? event.time);
  }
  for (const event of input.network) {
    const owner = addInitiators(graph, event);
    const key = `${event.deviceId}:net:${event.id}`;
    const connection: ConnectionNode = {
      kind: 'connection', deviceId: event.deviceId, eventId: event.id, time: event.time, actionType: event.actionType,
      direction: directionOf(event.actionType), localIp: event.localIp, localPort: event.localPort, remoteIp: event.remoteIp,
      remotePort: event.remotePort, protocol: event.protocol, remoteIsLocal: isLocalPeer(event.localIp, event.remoteIp),
      blocked: /blocked/i.test(event.actionType),
    };
    graph.mergeNode(key, connection);
    if (owner) graph.mergeDirectedEdge(owner, key, { kind: 'connection', time: event.time });
  }
  return graph;
}
