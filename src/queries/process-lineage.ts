// The lineage around a process: its ancestors and descendants, walked through the store's process indexes
// (never the whole device), bounded in depth and node count, with what was left out counted so the UI can offer
// "+N more".
import { NotFound, processKey, type GraphDto, type StoredProcessEvent } from '../domain';
import { buildDeviceGraph, graphToDto } from '../graph';
import { countSpawnedBy, readSpawnedBy, type Store } from '../store';
import { findParent, findProcess } from './find-process';

export interface LineageOptions {
  ancestors: number;
  descendants: number;
  maxNodes: number;
  /** At most this many children of each process (the first in time order); the rest are counted. Default: no cap. */
  maxChildren?: number;
  /** The root's children to pass over, in time order: the next page after a "+N more" (default 0). */
  skip?: number;
}

export interface LineageGraph extends GraphDto {
  root: string;
  /** Processes not shown: above the ancestor limit, and children not expanded (by node key, for "+N more"). */
  omitted: { ancestors: number; descendants: number; byNode: Record<string, number> };
}

/** The lineage graph around `key`. */
export function processLineage(db: Store, key: string, options: LineageOptions): LineageGraph {
  const root = findProcess(db, key);
  if (!root) throw new NotFound(`lineage: no process ${key}`, { parameter: 'key' });
  const rows: StoredProcessEvent[] = [root];
  // Up: each creation event names its parent; the parent's own creation event names the next one.
  let current = root;
  let omittedAncestors = 0;
  for (let depth = 1; ; depth++) {
    const parent = findParent(db, current);
    if (!parent) break;
    if (depth > options.ancestors) {
      omittedAncestors = 1;
      break;
    }
    rows.push(parent);
    current = parent;
  }
  // Down: breadth first through the (device, init_pid, init_created) index.
  const byNode: Record<string, number> = {};
  let omittedDescendants = 0;
  let frontier = [root];
  let count = rows.length;
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: StoredProcessEvent[] = [];
    for (const parent of frontier) {
      if (parent.pid === null) continue;
      const room = depth > options.descendants ? 0 : Math.max(0, Math.min(options.maxNodes - count, options.maxChildren ?? Infinity));
      const skip = parent === root ? options.skip ?? 0 : 0;
      // The first `room` children after `skip` (and one more, to tell whether any are left out); those left out are
      // counted from the index, never read.
      const shown = room === 0 ? [] : readSpawnedBy(db, parent.deviceId, parent.pid, parent.createdAt, null, null, parent.uniqueId, room + 1, skip);
      const more = room === 0 || shown.length > room;
      shown.length = Math.min(shown.length, room);
      const omitted = more ? Math.max(0, countSpawnedBy(db, parent.deviceId, parent.pid, parent.createdAt, parent.uniqueId) - skip - shown.length) : 0;
      if (omitted > 0) {
        const parentKey = processKey({ deviceId: parent.deviceId, pid: parent.pid, createdAt: parent.createdAt, uniqueId: parent.uniqueId });
        byNode[parentKey] = omitted;
        omittedDescendants += omitted;
      }
      rows.push(...shown);
      next.push(...shown);
      count += shown.length;
    }
    frontier = next;
  }
  const graph = buildDeviceGraph({ deviceId: root.deviceId, deviceName: root.deviceName, processes: rows, network: [], boots: [] });
  const dto = graphToDto(graph, null, omittedAncestors + omittedDescendants > 0);
  return { ...dto, root: key, omitted: { ancestors: omittedAncestors, descendants: omittedDescendants, byNode } };
}
