// The evidence subgraph of a match, for the UI: the matched path (connection, RPCSS host, DcomLaunch host, COM
// server, children) marked with its roles, one hop of context around it (parents, other children, the remote
// address), and the time-correlation link from the connection to the COM server labelled with its gap.
import { formatTicks, parseProcessKey, parseTime, TICKS_PER_SECOND, type GraphDto, type Ticks } from '../domain';
import { buildDeviceGraph, childrenOf, graphToDto, parentOf, type DeviceGraph } from '../graph';
import { listDevices, readBoots, readDeviceEvents, readSpawnedBy, type Store } from '../store';
import { creatorStarts } from './candidate-graphs';
import type { Match } from './match-index';
import { matchDevice, matchTime } from './match-index';

const MARGIN = 15n * TICKS_PER_SECOND;
const CONTEXT_CHILDREN = 10;
const ticks = (text: string): Ticks => parseTime(text)?.ticks ?? 0n;

function sliceGraph(db: Store, deviceId: string, from: Ticks, to: Ticks, roots: Array<{ pid: number | null; createdAt: Ticks | null; uniqueId?: string }>): DeviceGraph {
  const device = listDevices(db).find((d) => d.deviceId === deviceId);
  if (!device) return buildDeviceGraph({ deviceId, deviceName: '', processes: [], network: [], boots: [] });
  const slice = readDeviceEvents(db, device.row, from, to);
  const seen = new Set(slice.processes.map((p) => p.id));
  const extra = [];
  // Children of the matched processes and their children, at any later time.
  let frontier = roots;
  for (let depth = 0; depth < 2 && frontier.length > 0; depth++) {
    const next: typeof roots = [];
    for (const root of frontier) {
      if (root.pid === null) continue;
      for (const child of readSpawnedBy(db, deviceId, root.pid, root.createdAt, null, null, root.uniqueId ?? '')) {
        if (seen.has(child.id)) continue;
        seen.add(child.id);
        extra.push(child);
        next.push({ pid: child.pid, createdAt: child.createdAt, uniqueId: child.uniqueId });
      }
    }
    frontier = next;
  }
  const boots = readBoots(db, null, null).filter((b) => b.deviceId === deviceId).map((b) => b.time);
  const creators = creatorStarts(db, device.row, [...slice.processes, ...extra], slice.network, seen);
  return buildDeviceGraph({ deviceId, deviceName: device.deviceName, processes: [...creators, ...slice.processes, ...extra], network: slice.network, boots });
}

/** Graph keys of the matched path, by role. */
function rolesOf(graph: DeviceGraph, match: Match): Map<string, string> {
  const roles = new Map<string, string>();
  if (match.mode === 'lineage') {
    for (const c of match.connections) roles.set(c.key, 'rpcssConnection');
    roles.set(match.rpcssHost.key, 'rpcssHost');
    roles.set(match.dcomLaunchHost.key, 'dcomLaunchHost');
    roles.set(match.comServer.key, 'comServer');
    for (const c of match.children) roles.set(c.key, 'spawnedChild');
    return roles;
  }
  const netTime = ticks(match.TimestampNetwEventExact);
  const procTime = ticks(match.TimestampProcEventExact);
  graph.forEachNode((key, node) => {
    if (node.kind === 'connection' && node.time === netTime && node.localIp === match.LocalIP && node.remoteIp === match.RemoteIP) {
      roles.set(key, 'rpcssConnection');
      const owner = graph.inNeighbors(key)[0];
      if (owner) roles.set(owner, 'rpcssHost');
    }
  });
  graph.forEachNode((key, node) => {
    if (node.kind !== 'process' || node.pid !== match.InitiatingProcessId || !node.eventIds.length) return;
    if (node.time === null || node.time > procTime || procTime - node.time > TICKS_PER_SECOND) return;
    roles.set(key, 'comServer');
    const launcher = parentOf(graph, key);
    if (launcher) roles.set(launcher, 'dcomLaunchHost');
    for (const child of childrenOf(graph, key)) roles.set(child, 'spawnedChild');
  });
  return roles;
}

/** The evidence subgraph of `match` with one hop of context. */
export function matchGraph(db: Store, match: Match): GraphDto {
  const deviceId = matchDevice(match);
  const serverTime = ticks(matchTime(match));
  const firstConnection = match.mode === 'lineage' ? ticks(match.connections[0]?.time ?? matchTime(match)) : ticks(match.TimestampNetwEventExact);
  const roots = match.mode === 'lineage'
    ? [match.comServer, ...match.children].map((p) => ({ pid: p.pid, createdAt: p.createdAt === null ? null : ticks(p.createdAt), uniqueId: parseProcessKey(p.key)?.uniqueId ?? '' }))
    : [{ pid: match.InitiatingProcessId, createdAt: null }];
  const graph = sliceGraph(db, deviceId, (firstConnection < serverTime ? firstConnection : serverTime) - MARGIN, serverTime + MARGIN, roots);
  const roles = rolesOf(graph, match);
  const keep = new Set<string>(roles.keys());
  for (const key of roles.keys()) {
    if (!graph.hasNode(key)) continue;
    const node = graph.getNodeAttributes(key);
    if (node.kind !== 'process') continue;
    const parent = parentOf(graph, key);
    if (parent) keep.add(parent);
    for (const child of childrenOf(graph, key).slice(0, CONTEXT_CHILDREN)) keep.add(child);
  }
  for (const key of [...keep]) if (!graph.hasNode(key)) keep.delete(key);
  const dto = graphToDto(graph, keep, false);
  for (const node of dto.nodes) {
    const role = roles.get(node.id);
    if (role) {
      node.matched = true;
      node.role = role;
    }
  }
  const matchedIds = new Set(dto.nodes.filter((n) => n.matched).map((n) => n.id));
  for (const edge of dto.edges) {
    edge.matched = (matchedIds.has(edge.source) && matchedIds.has(edge.target))
      || (edge.kind === 'remote' && (matchedIds.has(edge.target) || matchedIds.has(edge.source)));
  }
  for (const node of dto.nodes) if (node.kind === 'remote' && dto.edges.some((e) => e.matched && e.kind === 'remote' && (e.source === node.id || e.target === node.id))) node.matched = true;
  const server = [...roles].find(([, role]) => role === 'comServer')?.[0];
  for (const [key, role] of roles) {
    if (role !== 'rpcssConnection' || !server || !graph.hasNode(key) || !graph.hasNode(server)) continue;
    const gap = Number((graph.getNodeAttribute(server, 'time') ?? 0n) - (graph.getNodeAttribute(key, 'time') ?? 0n)) / Number(TICKS_PER_SECOND);
    dto.edges.push({ id: `${key}=>${server}`, source: key, target: server, kind: 'correlated', label: `${gap >= 0 ? '+' : ''}${gap.toFixed(3)} s`, matched: true });
  }
  for (const boot of graph.getAttribute('boots')) {
    if (boot > serverTime || serverTime - boot > 24n * 3600n * TICKS_PER_SECOND) continue;
    dto.nodes.push({ id: `boot:${deviceId}:${boot}`, kind: 'boot', label: `boot ${formatTicks(boot).slice(11, 19)}`, time: formatTicks(boot), matched: false, data: { deviceId } });
  }
  return dto;
}
