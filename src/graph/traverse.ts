// Pure traversals of a device graph, graph first: a process's parent, children and ancestors.
import type { DeviceGraph } from './types';

const isSpawn = (graph: DeviceGraph, edge: string): boolean => graph.getEdgeAttribute(edge, 'kind') === 'spawned';

/** The process that started `key`, or null. */
export function parentOf(graph: DeviceGraph, key: string): string | null {
  for (const edge of graph.inboundEdges(key)) if (isSpawn(graph, edge)) return graph.source(edge);
  return null;
}

/** The processes `key` started, oldest first (ties by key). */
export function childrenOf(graph: DeviceGraph, key: string): string[] {
  const children = graph.outboundEdges(key).filter((edge) => isSpawn(graph, edge)).map((edge) => graph.target(edge));
  return children.sort((a, b) => {
    const ta = graph.getNodeAttribute(a, 'time') ?? 0n;
    const tb = graph.getNodeAttribute(b, 'time') ?? 0n;
    return ta < tb ? -1 : ta > tb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Connections the process owns. */
export function connectionsOf(graph: DeviceGraph, key: string): string[] {
  return graph.outboundEdges(key).filter((edge) => !isSpawn(graph, edge)).map((edge) => graph.target(edge));
}

/** Ancestors of `key`, nearest first, at most `maxDepth`. */
export function ancestorsOf(graph: DeviceGraph, key: string, maxDepth = 64): string[] {
  const out: string[] = [];
  const seen = new Set([key]);
  for (let current = parentOf(graph, key); current && out.length < maxDepth && !seen.has(current); current = parentOf(graph, current)) {
    out.push(current);
    seen.add(current);
  }
  return out;
}
