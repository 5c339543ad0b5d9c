// Graph completion for logs that describe one process or one connection more than once, in different ways: Sysmon
// names a process by its ProcessGuid (and, in some NXLog recordings, without its PID), Security 4688 and 5156 by
// PID only. Before the graph is folded, each event is rewritten to name processes the way the richest source does:
// - a Sysmon process without a PID gets it from the Security 4688 of the same start (same image, same creator,
//   within SAME_START_SLACK);
// - a 4688 of a process Sysmon saw starting is given that process's ProcessGuid (and its parent's) and Sysmon's
//   exact start time;
// - an initiating process named by PID alone (a 5156's owner, a 4688's creator) is given the ProcessGuid of the
//   process with that PID that was running at the time, when Sysmon knows one; else, in Security-only logs, the
//   start time of that process's own 4688, so both name the same node.
// MDE rows carry unique ids and creation times for every generation, so they pass through unchanged.
import { absTicks, appendTo, PROCESS_TERMINATED, SAME_START_SLACK, withFields, type StoredNetworkEvent, type StoredProcessEvent, type Ticks } from '../domain';

interface Known {
  guid: string;
  pid: number | null;
  createdAt: Ticks | null;
  fileName: string;
  creatorPid: number | null;
  creatorGuid: string;
}

const lower = (s: string): string => s.toLowerCase();

/**
 * Whether any event names a process in a way another source may complete: a start without a unique id (4688) or
 * without a PID (Sysmon, lost ProcessId), or an initiator known by PID alone. MDE rows never do.
 */
function needsCompletion(processes: readonly StoredProcessEvent[], network: readonly StoredNetworkEvent[]): boolean {
  for (const p of processes) {
    if ((p.uniqueId === '') !== (p.pid === null)) return true;
    if (p.initiatorPid !== null && p.initiatorUniqueId === '' && p.initiatorCreatedAt === null) return true;
  }
  for (const n of network) if (n.initiatorPid !== null && n.initiatorUniqueId === '' && n.initiatorCreatedAt === null) return true;
  return false;
}

export interface Reconciled {
  processes: StoredProcessEvent[];
  network: StoredNetworkEvent[];
}

/** The events with process identities completed across sources (see the file comment); inputs are not modified. */
export function reconcileSources(processes: readonly StoredProcessEvent[], network: readonly StoredNetworkEvent[]): Reconciled {
  if (!needsCompletion(processes, network)) return { processes: processes as StoredProcessEvent[], network: network as StoredNetworkEvent[] };
  const started: Known[] = [];
  for (const p of processes) {
    if (p.uniqueId !== '' && p.createdAt !== null) {
      started.push({ guid: p.uniqueId, pid: p.pid, createdAt: p.createdAt, fileName: lower(p.fileName), creatorPid: p.initiatorPid, creatorGuid: p.initiatorUniqueId });
    }
  }
  const byName = new Map<string, Known[]>();
  for (const k of started) appendTo(byName, k.fileName, k);

  // A PID-only creation event (4688) of a start Sysmon saw: same image, close in time, same PID or same creator.
  const sameStart = (p: StoredProcessEvent): Known | null => {
    if (p.createdAt === null) return null;
    let best: Known | null = null;
    for (const k of byName.get(lower(p.fileName)) ?? []) {
      if (k.createdAt === null || absTicks(k.createdAt - p.createdAt) > SAME_START_SLACK) continue;
      const samePid = k.pid !== null && k.pid === p.pid;
      const sameCreator = k.pid === null && k.creatorPid !== null && k.creatorPid === p.initiatorPid;
      if (!samePid && !sameCreator) continue;
      if (!best || absTicks((k.createdAt as Ticks) - p.createdAt) < absTicks((best.createdAt as Ticks) - p.createdAt)) best = k;
    }
    return best;
  };
  const recoveredPid = new Map<string, number>();
  const aliased = processes.map((p) => {
    if (p.uniqueId !== '' || p.pid === null) return p;
    const k = sameStart(p);
    if (!k) return p;
    if (k.pid === null) recoveredPid.set(k.guid, p.pid);
    // Sysmon's start time has milliseconds where 4688's has whole seconds: the node keeps the exact one.
    return withFields(p, { uniqueId: k.guid, createdAt: k.createdAt, initiatorUniqueId: p.initiatorUniqueId || k.creatorGuid });
  });

  // Every (PID, ProcessGuid) pair known, to name PID-only initiators.
  const byPid = new Map<number, Array<{ guid: string; createdAt: Ticks | null }>>();
  const note = (pid: number | null, guid: string, createdAt: Ticks | null): void => {
    if (pid === null || guid === '') return;
    const list = byPid.get(pid) ?? byPid.set(pid, []).get(pid)!;
    const same = list.find((e) => e.guid === guid);
    if (!same) list.push({ guid, createdAt });
    else if (same.createdAt === null) same.createdAt = createdAt;
  };
  for (const k of started) note(k.pid ?? recoveredPid.get(k.guid) ?? null, k.guid, k.createdAt);
  for (const e of [...aliased, ...network]) note(e.initiatorPid, e.initiatorUniqueId, e.initiatorCreatedAt);
  /** The process with `pid` running at `time`: the latest started at or before it (unknown starts count as early). */
  const running = (pid: number | null, time: Ticks): string => {
    if (pid === null) return '';
    let best: { guid: string; createdAt: Ticks | null } | null = null;
    for (const e of byPid.get(pid) ?? []) {
      if (e.createdAt !== null && e.createdAt > time + SAME_START_SLACK) continue;
      if (!best || (e.createdAt ?? -1n) > (best.createdAt ?? -1n)) best = e;
    }
    return best?.guid ?? '';
  };
  /** The PID Sysmon lost for the process with this ProcessGuid, when its 4688 gave it back. */
  const lostPid = (pid: number | null, guid: string): number | null => (pid === null && guid !== '' ? recoveredPid.get(guid) ?? null : null);
  const withPid = <E extends StoredProcessEvent | StoredNetworkEvent>(e: E): E => {
    const pid = 'pid' in e ? lostPid(e.pid, e.uniqueId) : null;
    const initiatorPid = lostPid(e.initiatorPid, e.initiatorUniqueId);
    if (pid === null && initiatorPid === null) return e;
    const patch: Partial<StoredProcessEvent> = pid === null ? { initiatorPid } : { pid, initiatorPid: initiatorPid ?? e.initiatorPid };
    return withFields(e, patch) as E;
  };
  // Starts known by PID alone (4688 with no Sysmon twin), for logs without ProcessGuids.
  const startsByPid = new Map<number, Ticks[]>();
  for (const p of aliased) {
    if (p.uniqueId !== '' || p.pid === null || p.createdAt === null || p.actionType === PROCESS_TERMINATED) continue;
    appendTo(startsByPid, p.pid, p.createdAt);
  }
  /** The start of the process with `pid` running at `time` among the PID-only starts: the latest at or before it. */
  const startedAt = (pid: number | null, time: Ticks): Ticks | null => {
    let best: Ticks | null = null;
    for (const t of pid === null ? [] : startsByPid.get(pid) ?? []) if (t <= time && (best === null || t > best)) best = t;
    return best;
  };
  const nameInitiator = <E extends StoredProcessEvent | StoredNetworkEvent>(e: E): E => {
    if (e.initiatorUniqueId !== '' || e.initiatorCreatedAt !== null) return e;
    const guid = running(e.initiatorPid, e.time);
    if (guid !== '') return withFields(e, { initiatorUniqueId: guid } as Partial<E>);
    const created = startedAt(e.initiatorPid, e.time);
    return created === null ? e : withFields(e, { initiatorCreatedAt: created } as Partial<E>);
  };
  return {
    processes: aliased.map((p) => withPid(nameInitiator(p))),
    network: network.map((n) => withPid(nameInitiator(n))),
  };
}
