// The operators checks may use, as a name -> function table. Each gets the node's field value, the check's
// (compiled) value, and the environment: the node, the steps bound so far, the graph, named lists.
import type { Ticks } from '../domain';
import type { Clock, DeviceGraph, NodeAttributes } from '../graph';

/** A compiled gapAfter value: the window, and per clock how far that clock's times may be off. */
export interface GapWindow {
  step: string;
  min: Ticks;
  max: Ticks;
  skew: Partial<Record<Clock, { early: Ticks; late: Ticks }>>;
}

export interface OperatorEnv {
  node: NodeAttributes;
  bound: ReadonlyMap<string, NodeAttributes>;
  graph: DeviceGraph;
  lists: Readonly<Record<string, (node: NodeAttributes) => boolean>>;
}

/** Returns true when the check passes, false when it fails, null when it cannot be decided yet (a step unbound). */
export type Operator = (actual: unknown, expected: unknown, env: OperatorEnv) => boolean | null;

const lower = (value: unknown): string => String(value ?? '').toLowerCase();

function latestBootAtOrBefore(boots: readonly Ticks[], time: Ticks): Ticks | null {
  let found: Ticks | null = null;
  for (const boot of boots) {
    if (boot > time) break;
    found = boot;
  }
  return found;
}

export const OPERATORS: Readonly<Record<string, Operator>> = {
  eq: (actual, expected) => actual === expected,
  ne: (actual, expected) => actual !== expected,
  ieq: (actual, expected) => lower(actual) === lower(expected),
  iin: (actual, expected) => (expected as readonly string[]).some((item) => lower(item) === lower(actual)),
  /**
   * The node's own file in System32 (or SysWOW64); an unknown path (not reported) cannot contradict it. NT device
   * paths (`\device\harddiskvolume2\windows\...`, as the Windows Filtering Platform logs them) count as drive C:.
   */
  systemBinary: (actual, _expected, env) => {
    const path = lower(actual).replace(/^\\device\\harddiskvolume\d+\\/, 'c:\\');
    if (path === '' || env.node.kind !== 'process') return true;
    const file = lower(env.node.fileName);
    return path === `c:\\windows\\system32\\${file}` || path === `c:\\windows\\syswow64\\${file}`;
  },
  /**
   * `actual` (a time) is within [min, max] after the time of step `step`. When that step's time comes from a log
   * whose clock is known to be off (`skew[clock]`: logged up to `early` too early or `late` too late), the window
   * widens by as much: [min - late, max + early].
   */
  gapAfter: (actual, expected, env) => {
    const { step, min, max, skew } = expected as GapWindow;
    const other = env.bound.get(step);
    if (!other) return null;
    if (actual === null || other.time === null) return false;
    const gap = (actual as Ticks) - other.time;
    const tolerance = other.kind === 'connection' ? skew[other.clock] : undefined;
    return gap >= min - (tolerance?.late ?? 0n) && gap <= max + (tolerance?.early ?? 0n);
  },
  /** At least `expected` ticks since the device's latest boot before `actual` (no known boot: passes). */
  sinceBootAtLeast: (actual, expected, env) => {
    if (actual === null) return true;
    const boot = latestBootAtOrBefore(env.graph.getAttribute('boots'), actual as Ticks);
    return boot === null || (actual as Ticks) - boot >= (expected as Ticks);
  },
  /**
   * The service host's group is `expected.group`; with `expected.orUnknown`, a host whose command line the source
   * does not carry (Windows Filtering Platform events, Sysmon network events) passes on what is known of it: its
   * account, when the source names one (`NT AUTHORITY\NETWORK SERVICE` or `network service`), must be
   * `expected.account`.
   */
  serviceGroup: (actual, expected, env) => {
    const { group, orUnknown, account } = expected as { group: string; orUnknown?: boolean; account?: string };
    if (String(actual ?? '').toLowerCase() === group) return true;
    if (!orUnknown || env.node.kind !== 'process' || env.node.commandLine !== '') return false;
    const name = lower(env.node.accountName);
    return !account || name === '' || name.slice(name.lastIndexOf('\\') + 1) === account;
  },
  /** Not matched by the named list (an allow-list). */
  notListed: (_actual, expected, env) => {
    const list = env.lists[expected as string];
    return list ? !list(env.node) : true;
  },
};
