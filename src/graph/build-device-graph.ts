// Folds one device's events into its provenance graph. Each process event contributes up to three generations
// (the process, its initiating process, that one's parent), merged with what other events say about the same
// process; each network event a connection node owned by its initiating process. Process identity is
// (device, PID, creation time) or the source's own unique process id, so a reused PID is a new node.
import Graph from 'graphology';
import { absTicks, appendTo, PROCESS_TERMINATED, processKey, TICKS_PER_SECOND, type StoredNetworkEvent, type StoredProcessEvent, type Ticks } from '../domain';
import { canonicalIp, clockOf, clsidOf, directionOf, isLocalPeer, serviceGroupOf, type Clock } from './derive-attributes';
import { reconcileSources } from './reconcile-sources';
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
      observed: observedAt !== null, eventIds: [eventId], creationEventId: observedAt !== null ? eventId : null, endedAt: null,
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

/**
 * Marks the ends of processes already in the graph: the one with the record's ProcessGuid, else the latest process
 * with its PID started at or before the end. An end of a process the graph does not hold adds nothing: a node with
 * a PID and no start would only be a guess.
 */
function endProcesses(graph: DeviceGraph, endings: readonly StoredProcessEvent[]): void {
  if (endings.length === 0) return;
  const byPid = new Map<number, string[]>();
  graph.forEachNode((key, node) => {
    if (node.kind === 'process' && node.pid !== null && node.time !== null) appendTo(byPid, node.pid, key);
  });
  for (const event of endings) {
    let key: string | null = event.uniqueId !== '' ? processKey({ deviceId: event.deviceId, pid: event.pid, createdAt: null, uniqueId: event.uniqueId }) : null;
    if (key !== null && !graph.hasNode(key)) key = null;
    if (key === null && event.pid !== null) {
      let bestTime: Ticks | null = null;
      for (const candidate of byPid.get(event.pid) ?? []) {
        const time = (graph.getNodeAttributes(candidate) as ProcessNode).time as Ticks;
        if (time <= event.time && (bestTime === null || time > bestTime)) { bestTime = time; key = candidate; }
      }
    }
    if (key === null) continue;
    const node = graph.getNodeAttributes(key) as ProcessNode;
    if (node.endedAt === null || node.endedAt > event.time) graph.mergeNodeAttributes(key, { endedAt: event.time });
    node.eventIds.push(event.id);
  }
}

/** How much earlier than another log's record of the same connection a Sysmon 3 can be (corpus: 4 to 61 s). */
const SYSMON_EARLY_MAX = 120n * TICKS_PER_SECOND;
/** ... and how much later (corpus: under a second). */
const SYSMON_LATE_MAX = 2n * TICKS_PER_SECOND;

/** One connection's identity across logs: the two ends and the direction. */
const connectionIdentity = (e: StoredNetworkEvent): string =>
  `${directionOf(e.actionType)}|${canonicalIp(e.localIp)}|${e.localPort ?? ''}|${canonicalIp(e.remoteIp)}|${e.remotePort ?? ''}`;

/**
 * The connection node a Sysmon 3 record describes when a more exact log (Security 5156, MDE) recorded the same
 * connection: same ends and direction, the Sysmon time within its known skew. That record then only adds its owner.
 */
function sameConnection(exact: ReadonlyMap<string, Array<{ key: string; time: Ticks }>>, event: StoredNetworkEvent): string | null {
  let best: { key: string; distance: Ticks } | null = null;
  for (const candidate of exact.get(connectionIdentity(event)) ?? []) {
    const early = candidate.time - event.time;
    if (early > SYSMON_EARLY_MAX || -early > SYSMON_LATE_MAX) continue;
    const distance = absTicks(early);
    if (!best || distance < best.distance) best = { key: candidate.key, distance };
  }
  return best ? best.key : null;
}

/** The provenance graph of one device over the given events. */
export function buildDeviceGraph(input: GraphInput): DeviceGraph {
  const graph: DeviceGraph = new Graph({ type: 'directed', multi: false, allowSelfLoops: false });
  graph.replaceAttributes({ deviceId: input.deviceId, deviceName: input.deviceName, boots: [...input.boots].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) });
  const { processes, network } = reconcileSources(input.processes, input.network);
  const endings: StoredProcessEvent[] = [];
  for (const event of processes) {
    if (event.actionType === PROCESS_TERMINATED) {
      endings.push(event);
      continue;
    }
    const initiator = addInitiators(graph, event);
    const process = upsertProcess(graph, event.deviceId, {
      pid: event.pid, createdAt: event.createdAt, uniqueId: event.uniqueId, fileName: event.fileName, folderPath: event.folderPath,
      commandLine: event.commandLine, accountName: event.accountName,
    }, event.id, event.time);
    if (initiator) link(graph, initiator, process, event.createdAt ?? event.time);
  }
  endProcesses(graph, endings);
  // The more exact records first, so a Sysmon 3 of the same connection can join them.
  const clocks = network.map((event) => clockOf(event.reportId, event.timeText));
  const anySysmon = clocks.includes('sysmon');
  const exact = new Map<string, Array<{ key: string; time: Ticks }>>();
  for (const pass of ['exact', 'sysmon'] as const) {
    for (const [i, event] of network.entries()) {
      const clock = clocks[i] as Clock;
      if ((clock === 'sysmon') !== (pass === 'sysmon')) continue;
      const owner = addInitiators(graph, event);
      const merged = clock === 'sysmon' ? sameConnection(exact, event) : null;
      const key = merged ?? `${event.deviceId}:net:${event.id}`;
      if (merged) {
        (graph.getNodeAttributes(merged) as ConnectionNode).mergedEventIds.push(event.id);
      } else {
        const connection: ConnectionNode = {
          kind: 'connection', deviceId: event.deviceId, eventId: event.id, time: event.time, actionType: event.actionType,
          direction: directionOf(event.actionType), localIp: event.localIp, localPort: event.localPort, remoteIp: event.remoteIp,
          remotePort: event.remotePort, protocol: event.protocol, remoteIsLocal: isLocalPeer(event.localIp, event.remoteIp),
          blocked: /blocked/i.test(event.actionType), clock, mergedEventIds: [],
        };
        graph.mergeNode(key, connection);
        if (anySysmon && clock !== 'sysmon') appendTo(exact, connectionIdentity(event), { key, time: event.time });
      }
      if (owner) graph.mergeDirectedEdge(owner, key, { kind: 'connection', time: event.time });
    }
  }
  return graph;
}
