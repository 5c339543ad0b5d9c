// `lineage explain`: chains that came close, each with the one condition that stopped it. The matcher runs with a
// failure budget of one, from each of the pattern's explain anchors; a near miss must show at least two of the
// chain's three hops (a lone connection or a lone COM-server start is everyday noise, not a near miss).
import { formatTicks, type Ticks } from '../domain';
import type { DeviceGraph } from '../graph';
import { compilePattern, DCOM_DEFAULT_SETTINGS, DCOM_LATERAL_MOVEMENT, matchPattern } from '../patterns';
import type { Store } from '../store';
import type { AlertConnection, AlertProcess } from './alert';
import { allowListPredicates, DEFAULT_ALLOW_LIST } from './allow-list';
import { candidateGraphs } from './candidate-graphs';
import { alertConnection, alertProcess, type LineageOptions } from './detect-lineage';

export interface NearMiss {
  id: string;
  deviceId: string;
  deviceName: string;
  /** The COM server's start, else the connection's time. */
  time: string;
  /** The one condition that stopped the chain. */
  reason: string;
  step: string;
  /** The failure is a hop with no event at all (a partial chain). */
  missingHop: boolean;
  hopsPresent: number;
  connection: AlertConnection | null;
  rpcssHost: AlertProcess | null;
  comServer: AlertProcess | null;
  dcomLaunchHost: AlertProcess | null;
  children: AlertProcess[];
}

const single = (graph: DeviceGraph, value: string | string[] | undefined) => (typeof value === 'string' ? value : null);

/** Near misses whose chain falls in [from, to), oldest first. */
export function explainLineage(db: Store, options: LineageOptions = {}): NearMiss[] {
  const pattern = DCOM_LATERAL_MOVEMENT;
  const compiled = compilePattern(pattern, { ...DCOM_DEFAULT_SETTINGS, ...options.settings });
  const lists = allowListPredicates(options.allowList ?? DEFAULT_ALLOW_LIST);
  const from = options.from ?? null;
  const to = options.to ?? null;
  // One near miss per COM server (or per lone connection), the one that shows the most of the chain, kept as the
  // graphs are matched: memory follows the COM servers, not every (connection, COM server) pair considered.
  const considered = new Set<string>();
  const best = new Map<string, NearMiss>();
  for (const { graph, device } of candidateGraphs(db, [{ deviceId: options.deviceId ?? null, from, to }], null, compiled.reach)) {
    // A COM server that alerted through one connection is no near miss through another (a second connection after it).
    const alerted = new Set<string>();
    for (const match of matchPattern(graph, compiled, { lists, failureBudget: 0 })) {
      const server = single(graph, match.bindings.comServer);
      if (server && !match.failure) alerted.add(server);
    }
    for (const anchor of pattern.explainAnchors) {
      for (const match of matchPattern(graph, compiled, { lists, failureBudget: 1, anchor })) {
        const failure = match.failure;
        if (!failure) continue;
        const present = pattern.hops.filter((hop) => hop.some((step) => {
          const bound = match.bindings[step];
          return Array.isArray(bound) ? bound.length > 0 : typeof bound === 'string';
        })).length;
        if (present < 2) continue;
        const connectionKey = single(graph, match.bindings.rpcssConnection);
        const serverKey = single(graph, match.bindings.comServer);
        if (serverKey && alerted.has(serverKey)) continue;
        const signature = `${device.deviceId}|${connectionKey ?? '-'}|${serverKey ?? '-'}`;
        if (considered.has(signature)) continue;
        const hostKey = single(graph, match.bindings.rpcssHost);
        const launcherKey = single(graph, match.bindings.dcomLaunchHost);
        const time = (serverKey ? graph.getNodeAttribute(serverKey, 'time') : connectionKey ? graph.getNodeAttribute(connectionKey, 'time') : null) as Ticks | null;
        if (time === null || (from !== null && time < from) || (to !== null && time >= to)) continue;
        considered.add(signature);
        const id = `near-${signature.replaceAll(/[^A-Za-z0-9]+/g, '-').slice(0, 120)}`;
        const key = `${device.deviceId}|${serverKey ?? connectionKey ?? id}`;
        const kept = best.get(key);
        if (kept && !(present > kept.hopsPresent || (present === kept.hopsPresent && !failure.missing && kept.missingHop))) continue;
        best.set(key, {
          id,
          deviceId: device.deviceId,
          deviceName: device.deviceName,
          time: formatTicks(time),
          reason: failure.reason,
          step: failure.step,
          missingHop: failure.missing,
          hopsPresent: present,
          connection: connectionKey ? alertConnection(graph, connectionKey) : null,
          rpcssHost: hostKey ? alertProcess(graph, hostKey) : null,
          comServer: serverKey ? alertProcess(graph, serverKey) : null,
          dcomLaunchHost: launcherKey ? alertProcess(graph, launcherKey) : null,
          children: ((match.bindings.spawnedChild as string[] | undefined) ?? []).map((k) => alertProcess(graph, k)),
        });
      }
    }
  }
  return [...best.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1));
}
