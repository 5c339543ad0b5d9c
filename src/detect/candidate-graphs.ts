// Finds where a DCOM chain can be and builds the provenance graph of just those stretches of each device: seeds are
// port-135 connections and DcomLaunch starts (partial indexes), clustered in time; each cluster's graph holds the
// device's events around it, the later children of every process started there (any time: no window edge), and
// the device's boots over the whole stored history. Memory is bounded by one cluster's slice.
import type { DeviceRecord, StoredNetworkEvent, StoredProcessEvent, Ticks } from '../domain';
import { appendTo, TICKS_PER_SECOND } from '../domain';
import { buildDeviceGraph, serviceGroupOf, type DeviceGraph } from '../graph';
import { listDevices, readBoots, readConnectionActivationPairs, readDeviceEvents, readLatestStart, readPort135ConnectionTimes, readSpawnedBy, readSvchostSpawnTimes, type PairFilter, type Store } from '../store';

export interface CandidateGraph {
  device: DeviceRecord;
  graph: DeviceGraph;
  from: Ticks;
  to: Ticks;
}

/** The least reach searched: the pattern's default near horizon; wider time windows widen the search. */
const MIN_REACH = 10n * TICKS_PER_SECOND;

/** Which DcomLaunch starts can be COM servers of a chain (not allow-listed); null: every one (explain). */
export type ActivationFilter = PairFilter | null;

/** A start by the DcomLaunch host, or by an svchost.exe whose command line this event does not carry (4688). */
const maybeDcomLaunch = (initiatorCommandLine: string): boolean =>
  initiatorCommandLine === '' || serviceGroupOf(initiatorCommandLine) === 'dcomlaunch';

/** Where an activation can be, from its connection's time: [lo, hi). */
export interface PairWindow {
  lo: Ticks;
  hi: Ticks;
}

/** Where to look: one device (or every device, null) over [from, to) (null: unbounded). */
export interface DetectScope {
  deviceId: string | null;
  from: Ticks | null;
  to: Ticks | null;
}

/**
 * Candidate graphs for seeds in each scope, tagged with the scope's index. With `paired` (detection): only where a
 * connection and a DcomLaunch start that `paired` keeps are within `reach` (at least 10 s) of each other, found by an
 * indexed range join. Without (explain): every seed. Devices and boots are read once for all scopes, so many small
 * scopes (an incremental refresh) cost what their candidates cost.
 */
export function* candidateGraphs(
  db: Store, scopes: readonly DetectScope[], paired: ActivationFilter, reach: Ticks = MIN_REACH, pairWindow: PairWindow | null = null,
): Generator<CandidateGraph & { scope: number }> {
  const pairHorizon = reach > MIN_REACH ? reach : MIN_REACH;
  const [pairLo, pairHi] = pairWindow ? [pairWindow.lo, pairWindow.hi] : [-pairHorizon, pairHorizon + 1n];
  const clusterGap = 3n * pairHorizon;
  const margin = pairHorizon + 5n * TICKS_PER_SECOND;
  const bootsByDevice = new Map<string, Ticks[]>();
  for (const boot of readBoots(db, null, null)) appendTo(bootsByDevice, boot.deviceId, boot.time);
  const devices = listDevices(db);
  for (const [index, { deviceId: onlyDevice, from, to }] of scopes.entries()) {
    const connections = new Map<string, Ticks[]>();
    const activations = new Map<string, Ticks[]>();
    if (paired) {
      for (const { connection, activation } of readConnectionActivationPairs(db, from, to, pairLo, pairHi, false, { ...paired, deviceId: onlyDevice })) {
        if (!maybeDcomLaunch(activation.initiatorCommandLine)) continue;
        appendTo(connections, connection.deviceId, connection.time);
        appendTo(activations, activation.deviceId, activation.time);
      }
    } else {
      for (const c of readPort135ConnectionTimes(db, from, to, onlyDevice)) appendTo(connections, c.deviceId, c.time);
      for (const p of readSvchostSpawnTimes(db, from, to, onlyDevice)) if (maybeDcomLaunch(p.initiatorCommandLine)) appendTo(activations, p.deviceId, p.time);
    }
    for (const device of devices) {
      if (onlyDevice !== null && device.deviceId !== onlyDevice) continue;
      const seeds = [...new Set([...(connections.get(device.deviceId) ?? []), ...(activations.get(device.deviceId) ?? [])])];
      if (seeds.length === 0) continue;
      seeds.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      let start = 0;
      for (let i = 1; i <= seeds.length; i++) {
        if (i < seeds.length && (seeds[i] as Ticks) - (seeds[i - 1] as Ticks) <= clusterGap) continue;
        const sliceFrom = (seeds[start] as Ticks) - margin;
        const sliceTo = (seeds[i - 1] as Ticks) + margin;
        start = i;
        yield { scope: index, device, graph: graphOf(db, device, sliceFrom, sliceTo, bootsByDevice.get(device.deviceId) ?? []), from: sliceFrom, to: sliceTo };
      }
    }
  }
}

function graphOf(db: Store, device: DeviceRecord, from: Ticks, to: Ticks, boots: readonly Ticks[]): DeviceGraph {
  const slice = readDeviceEvents(db, device.row, from, to);
  const seen = new Set(slice.processes.map((p) => p.id));
  const later: StoredProcessEvent[] = [];
  for (const process of slice.processes) {
    if (process.pid === null || !maybeDcomLaunch(process.initiatorCommandLine)) continue;
    for (const child of readSpawnedBy(db, device.deviceId, process.pid, process.createdAt, null, null, process.uniqueId)) {
      if (!seen.has(child.id)) {
        seen.add(child.id);
        later.push(child);
      }
    }
  }
  const creators = creatorStarts(db, device.row, [...slice.processes, ...later], slice.network, seen);
  return buildDeviceGraph({ deviceId: device.deviceId, deviceName: device.deviceName, processes: [...creators, ...slice.processes, ...later], network: slice.network, boots });
}

/**
 * The own creation events of processes the slice names by PID alone (a 4688's creator, a 5156's owner), when they
 * are stored, however long before: with them the graph knows, say, the launcher's command line from its own 4688.
 * One lookup per PID: starts inside the slice are in it already, so only the latest start before the PID's first
 * mention can be missing. Sources that name creators by unique id or creation time (Sysmon, MDE) need none.
 */
export function creatorStarts(db: Store, deviceRow: number, processes: readonly StoredProcessEvent[], network: readonly StoredNetworkEvent[],
  seen: Set<number>): StoredProcessEvent[] {
  const firstMention = new Map<number, Ticks>();
  for (const event of [...processes, ...network]) {
    if (event.initiatorPid === null || event.initiatorUniqueId !== '' || event.initiatorCreatedAt !== null) continue;
    const first = firstMention.get(event.initiatorPid);
    if (first === undefined || event.time < first) firstMention.set(event.initiatorPid, event.time);
  }
  const out: StoredProcessEvent[] = [];
  for (const [pid, time] of firstMention) {
    const start = readLatestStart(db, deviceRow, pid, time);
    if (!start || seen.has(start.id)) continue;
    seen.add(start.id);
    out.push(start);
  }
  return out;
}
