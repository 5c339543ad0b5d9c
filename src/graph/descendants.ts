// Descendants of a process in a device graph, breadth first and bounded, through graphology-traversal. The library is
// loaded on the first walk, not with the graph layer: detection needs only parents and children, and loading the
// traversal library (with graphology-indices and graphology-utils) cost every `lineage detect` about 8 ms.
import { createRequire } from 'node:module';
import type { DeviceGraph } from './types';

let traversal: typeof import('graphology-traversal') | null = null;
const bfsFromNode: typeof import('graphology-traversal').bfsFromNode = (...args) =>
  (traversal ??= createRequire(import.meta.url)('graphology-traversal') as typeof import('graphology-traversal')).bfsFromNode(...args);

export interface Bounded {
  keys: string[];
  truncated: boolean;
}

/** Descendants of `key` breadth first, at most `maxDepth` levels and `maxNodes` nodes. */
export function descendantsOf(graph: DeviceGraph, key: string, options: { maxDepth?: number; maxNodes?: number } = {}): Bounded {
  const maxDepth = options.maxDepth ?? 64;
  const maxNodes = options.maxNodes ?? 1000;
  const keys: string[] = [];
  let truncated = false;
  bfsFromNode(graph, key, (node, attributes, depth) => {
    if (node === key) return false;
    if (attributes.kind !== 'process') return true;
    if (depth > maxDepth || keys.length >= maxNodes) {
      truncated = true;
      return true;
    }
    keys.push(node);
    return false;
  }, { mode: 'outbound' });
  return { keys, truncated };
}
