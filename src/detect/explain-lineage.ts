// `lineage explain`: chains that came close, each with the one condition that stopped it. The matcher runs with a
// failure budget of one, from each of the pattern's explain anchors; a near miss must show at least two of the
// chain's three hops (a lone connection or a lone COM-server start is everyday noise, not a near miss).
import { formatTicks, type Ticks } from '../domain';
import type { DeviceGraph } from '../graph';
import { DCOM_LATERAL_MOVEMENT, matchPattern } from '../patterns';
import type { Store } from '../store';
import type { AlertConnection, AlertProcess } from './alert';
import { candidateGraphs, type DetectScope } from './candidate-graphs';
import { alertConnection, alertProcess, preparedDetection, type LineageOptions } from './detect-lineage';

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

/**
 * Near misses of the device `scope` names (every device: null) whose chain falls in its [from, to), oldest first.
 * The scope defaults to the options' own; a caller explaining many scopes under one set of options (compare) passes
 * them here, so the pattern and the allow-list are prepared once.
 */
export function explainLineage(db: Store, options: LineageOptions = {},
  scope: DetectScope = { deviceId: options.deviceId ?? null, from: options.from ?? null, to: options.to ?? null }): NearMiss[] {
  const pattern = DCOM_LATERAL_MOVEMENT;
  const { compiled, lists } = preparedDetection(options);
  const { from, to } = scope;
  // One near miss per COM server (or per lone connection), the one that shows the most of the chain, kept as the
  // graphs are matched: memory follows the COM servers, not every (connection, COM server) pair considered.
  const considered = new Set<string>();
  const best = new Map<string, NearMiss>();
  for (const { graph, device } of candidateGraphs(db, [scope], null, compiled.reach)) {
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
