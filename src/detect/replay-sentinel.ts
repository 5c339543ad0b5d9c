// Bit-exact replay of the Sentinel rule over the stored events with Timestamp in [from, to), following the KQL step
// by step (../shared/spec/dcom-rule.md), flaws included. No cross join: the rpc x dcom join is an indexed range join in
// the store over partial indexes, visiting only pairs whose second boundaries are 0 to 2 apart.
import { formatTicks, TICKS_PER_SECOND, type StoredNetworkEvent, type StoredProcessEvent, type Ticks } from '../domain';
import { readBoots, readConnectionActivationPairs, readSpawnedBy, type Store } from '../store';
import { bin, datetimeDiffSeconds, equalsIgnoreCase, has } from './kusto';
import { SENTINEL_RULE, type SentinelRow } from './sentinel-rule';

const FIVE_SECONDS = 5n * TICKS_PER_SECOND;
const FIVE_MINUTES = 300n * TICKS_PER_SECOND;
const ALLOW_LISTED = new Set(SENTINEL_RULE.allowListedExecs.map((name) => name.toLowerCase()));

interface RemoteDcomProc {
  net: StoredNetworkEvent;
  proc: StoredProcessEvent;
  lastBootTime: Ticks;
}

/**
 * RemoteDcomProcs: every (rpc, dcom) pair on a device passing the rule's filters. The store hands over only pairs
 * whose second boundaries are 0 to 2 apart (an indexed range join), so no cross product is ever built.
 */
function remoteDcomProcs(db: Store, from: Ticks | null, to: Ticks | null): RemoteDcomProc[] {
  const lastBoot = new Map<string, Ticks>();
  for (const boot of readBoots(db, from, to)) {
    const seen = lastBoot.get(boot.deviceId);
    if (seen === undefined || boot.time > seen) lastBoot.set(boot.deviceId, boot.time);
  }
  const out: RemoteDcomProc[] = [];
  // The rule's name allow-list is applied in the store's join already (`!in~` is a lower-case comparison).
  for (const { connection: net, activation: proc } of readConnectionActivationPairs(db, from, to, 0n, 3n * TICKS_PER_SECOND, true, { excludeFileNames: [...ALLOW_LISTED] })) {
    // rpcNetwEvents
    if (!equalsIgnoreCase(net.initiatorFileName, 'svchost.exe') || !has(net.initiatorCommandLine, 'rpcss')) continue;
    if (equalsIgnoreCase(net.localIp, net.remoteIp) || net.actionType === 'ListeningConnectionCreated') continue;
    // dcomProcEvents
    if (!has(proc.initiatorCommandLine, 'dcomlaunch')) continue;
    // leftouter join + `>` on a null LastBootTime drops the row.
    const lastBootTime = lastBoot.get(proc.deviceId);
    if (lastBootTime === undefined || !(bin(proc.time, FIVE_SECONDS) > lastBootTime + FIVE_MINUTES)) continue;
    const diff = datetimeDiffSeconds(proc.time, net.time);
    if (diff < 0n || diff > 2n || ALLOW_LISTED.has(proc.fileName.toLowerCase())) continue;
    out.push({ net, proc, lastBootTime });
  }
  return out;
}

/** The rule's result rows over [from, to) (null: unbounded), sorted for stable output. */
export function replaySentinel(db: Store, from: Ticks | null, to: Ticks | null): SentinelRow[] {
  const remote = remoteDcomProcs(db, from, to);
  // `InitiatingProcessFileName in (RemoteDcomProcs | project DCOMFileName)`: case-sensitive, across all devices.
  const dcomFileNames = new Set(remote.map((r) => r.proc.fileName));
  const groups = new Map<string, { row: SentinelRow; set: Set<string> }>();
  const childrenCache = new Map<string, StoredProcessEvent[]>();
  for (const { net, proc, lastBootTime } of remote) {
    if (proc.pid === null || proc.initiatorPid === null) continue; // a null PID equals nothing
    const cacheKey = `${proc.deviceId}|${proc.pid}`;
    let candidates = childrenCache.get(cacheKey);
    if (!candidates) {
      candidates = readSpawnedBy(db, proc.deviceId, proc.pid, null, from, to);
      childrenCache.set(cacheKey, candidates);
    }
    for (const child of candidates) {
      if (child.parentPid !== proc.initiatorPid || !equalsIgnoreCase(child.parentFileName, 'svchost.exe')) continue;
      if (!dcomFileNames.has(child.initiatorFileName) || !equalsIgnoreCase(child.initiatorFileName, proc.fileName)) continue;
      if (SENTINEL_RULE.excludedChildren.some((name) => equalsIgnoreCase(child.fileName, name))) continue;
      const row: SentinelRow = {
        TimestampNetwEventExact: formatTicks(net.time), TimestampProcEventExact: formatTicks(proc.time), DeviceId: net.deviceId,
        DeviceName: net.deviceName, InitiatingProcessId: child.initiatorPid as number, LocalIP: net.localIp, RemoteIP: net.remoteIp,
        LastBootTime: formatTicks(lastBootTime), DCOMCmdLine: proc.commandLine, set_ProcessCommandLine: [],
      };
      const key = JSON.stringify([row.TimestampNetwEventExact, row.TimestampProcEventExact, row.DeviceId, row.DeviceName,
        row.InitiatingProcessId, row.LocalIP, row.RemoteIP, row.LastBootTime, row.DCOMCmdLine]);
      const group = groups.get(key) ?? groups.set(key, { row, set: new Set() }).get(key)!;
      group.set.add(child.commandLine);
    }
  }
  const rows = [...groups.values()].map(({ row, set }) => ({ ...row, set_ProcessCommandLine: [...set].sort() }));
  return rows.sort(compareSentinelRows);
}

/** Stable order: device, then connection time, then activation time, then the rest. */
export function compareSentinelRows(a: SentinelRow, b: SentinelRow): number {
  const keys: Array<keyof SentinelRow> = ['DeviceId', 'TimestampNetwEventExact', 'TimestampProcEventExact', 'InitiatingProcessId', 'DeviceName', 'LocalIP', 'RemoteIP', 'LastBootTime', 'DCOMCmdLine'];
  for (const key of keys) {
    const x = String(a[key]);
    const y = String(b[key]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
