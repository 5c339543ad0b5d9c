// A device graph as plain JSON for Cytoscape: processes, connections, and one node per remote address.
import { formatTicks, type GraphDto, type GraphEdgeDto, type GraphNodeDto } from '../domain';
import type { ConnectionNode, DeviceGraph, ProcessNode } from './types';

const time = (ticks: bigint | null): string | null => (ticks === null ? null : formatTicks(ticks));

function processDto(key: string, node: ProcessNode): GraphNodeDto {
  return {
    id: key, kind: 'process', label: `${node.fileName || '?'} (${node.pid ?? '?'})`, time: time(node.time), matched: false,
    data: { pid: node.pid, fileName: node.fileName, folderPath: node.folderPath, commandLine: node.commandLine, accountName: node.accountName,
      createdAt: time(node.createdAt), endedAt: time(node.endedAt), observed: node.observed, deviceId: node.deviceId },
  };
}

function connectionDto(key: string, node: ConnectionNode): GraphNodeDto {
  return {
    id: key, kind: 'connection', label: `${node.direction} :${node.localPort ?? '?'}`, time: time(node.time), matched: false,
    data: { actionType: node.actionType, direction: node.direction, localIp: node.localIp, localPort: node.localPort, remoteIp: node.remoteIp,
      remotePort: node.remotePort, protocol: node.protocol, eventId: node.eventId },
  };
}

/** The nodes and edges of `graph` (optionally only `keep`), remote addresses as their own nodes. */
export function graphToDto(graph: DeviceGraph, keep: ReadonlySet<string> | null = null, truncated = false): GraphDto {
  const nodes: GraphNodeDto[] = [];
  const edges: GraphEdgeDto[] = [];
  const remotes = new Set<string>();
  graph.forEachNode((key, node) => {
    if (keep && !keep.has(key)) return;
    if (node.kind === 'process') nodes.push(processDto(key, node));
    else {
      nodes.push(connectionDto(key, node));
      if (node.remoteIp && node.direction !== 'listening') {
        const remote = `remote:${node.remoteIp}`;
        if (!remotes.has(remote)) {
          remotes.add(remote);
          nodes.push({ id: remote, kind: 'remote', label: node.remoteIp, time: null, matched: false, data: { address: node.remoteIp } });
        }
        const inbound = node.direction === 'inbound';
        edges.push({ id: `${remote}->${key}`, source: inbound ? remote : key, target: inbound ? key : remote, kind: 'remote', label: `:${node.remotePort ?? '?'}`, matched: false });
      }
    }
  });
  graph.forEachEdge((edge, attributes, source, target) => {
    if (keep && (!keep.has(source) || !keep.has(target))) return;
    edges.push({ id: edge, source, target, kind: attributes.kind, label: '', matched: false });
  });
  nodes.sort((a, b) => (a.id < b.id ? -1 : 1));
  edges.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { nodes, edges, truncated };
}
