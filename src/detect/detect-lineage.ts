// Lineage's DCOM detection: the pattern matched on candidate graphs, one alert per activated COM server instance.
import { appendTo, formatTicks, hash53, TICKS_PER_SECOND, type Ticks } from '../domain';
import { clsidOf, type Clock, type ConnectionNode, type DeviceGraph, type ProcessNode } from '../graph';
import { compilePattern, DCOM_DEFAULT_SETTINGS, DCOM_LATERAL_MOVEMENT, matchPattern, OPERATORS, type CompiledPattern, type GapWindow, type PatternMatch } from '../patterns';
import { hasWindowsEvents, type Store } from '../store';
import type { Alert, AlertConnection, AlertProcess } from './alert';
import { allowListPredicates, DEFAULT_ALLOW_LIST, type AllowList } from './allow-list';
import { candidateGraphs, type DetectScope, type PairWindow } from './candidate-graphs';

export interface LineageOptions {
  from?: Ticks | null;
  to?: Ticks | null;
  allowList?: AllowList;
  /** Only this device (incremental detection). */
  deviceId?: string | null;
  /** Pattern settings: windowMin, windowMax, bootGrace, sysmonSkew, sysmonSkewLate (durations such as `2s`). */
  settings?: Partial<Record<keyof typeof DCOM_DEFAULT_SETTINGS, string>>;
}

export function alertProcess(graph: DeviceGraph, key: string): AlertProcess {
  const node = graph.getNodeAttributes(key) as ProcessNode;
  return { key, pid: node.pid, fileName: node.fileName, folderPath: node.folderPath, commandLine: node.commandLine,
    createdAt: node.createdAt === null ? null : formatTicks(node.createdAt), accountName: node.accountName };
}

export function alertConnection(graph: DeviceGraph, key: string): AlertConnection {
  const node = graph.getNodeAttributes(key) as ConnectionNode;
  return { key, eventId: node.eventId, time: formatTicks(node.time), actionType: node.actionType, localIp: node.localIp,
    localPort: node.localPort, remoteIp: node.remoteIp, remotePort: node.remotePort, protocol: node.protocol };
}

function bootBefore(boots: readonly Ticks[], time: Ticks): Ticks | null {
  let found: Ticks | null = null;
  for (const boot of boots) if (boot <= time) found = boot;
  return found;
}

/** Builds the alert of one COM server from every match that has it. */
function toAlert(graph: DeviceGraph, comServer: string, matches: readonly PatternMatch[], settings: Settings): Alert {
  const first = matches[0] as PatternMatch;
  const connections = [...new Set(matches.map((m) => m.bindings.rpcssConnection as string))].map((k) => alertConnection(graph, k))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.key < b.key ? -1 : 1));
  const childKeys = [...new Set(matches.flatMap((m) => m.bindings.spawnedChild as string[]))];
  const children = childKeys.map((k) => alertProcess(graph, k)).sort((a, b) => ((a.createdAt ?? '') < (b.createdAt ?? '') ? -1 : 1));
  const server = graph.getNodeAttributes(comServer) as ProcessNode;
  const serverTime = server.time as Ticks;
  const firstConnection = graph.getNodeAttributes(connections[0]?.key as string) as ConnectionNode;
  const boot = bootBefore(graph.getAttribute('boots'), serverTime);
  const deviceName = graph.getAttribute('deviceName');
  const pattern = DCOM_LATERAL_MOVEMENT;
  const nodes = [...new Set([...connections.map((c) => c.key), first.bindings.rpcssHost as string, first.bindings.dcomLaunchHost as string, comServer, ...childKeys])];
  // The chain's own events only (connections, the COM server's and the children's creations): the same whatever
  // stretch of the device the graph was built from.
  const eventIds = [...new Set([...connections.map((c) => c.eventId), ...[comServer, ...childKeys].map((k) => (graph.getNodeAttributes(k) as ProcessNode).creationEventId)])]
    .filter((id): id is number => id !== null).sort((a, b) => a - b);
  return {
    id: `dcom-${hash53(`${server.deviceId}|${comServer}`).toString(16).padStart(14, '0')}`,
    mode: 'lineage',
    rule: { id: pattern.id, name: pattern.name, severity: pattern.severity, tactic: pattern.tactic, technique: pattern.technique },
    deviceId: server.deviceId,
    deviceName,
    time: formatTicks(serverTime),
    connections,
    rpcssHost: alertProcess(graph, first.bindings.rpcssHost as string),
    dcomLaunchHost: alertProcess(graph, first.bindings.dcomLaunchHost as string),
    comServer: alertProcess(graph, comServer),
    children,
    bootTime: boot === null ? null : formatTicks(boot),
    gapSeconds: Number(serverTime - firstConnection.time) / Number(TICKS_PER_SECOND),
    entities: [
      { type: 'Host', fullName: deviceName },
      ...[...new Set(connections.map((c) => c.remoteIp))].map((address) => ({ type: 'IP' as const, address })),
      { type: 'Process', commandLine: server.commandLine },
    ],
    evidence: { nodes, eventIds },
    notes: [...rpcssNotes(graph.getNodeAttributes(first.bindings.rpcssHost as string) as ProcessNode), ...clockNotes(firstConnection, settings)],
  };
}

type Settings = Record<keyof typeof DCOM_DEFAULT_SETTINGS, string>;

/** What the alert must say when the connection's time comes from a log whose clock is not exact. */
function clockNotes(connection: ConnectionNode, settings: Settings): string[] {
  if (connection.clock === 'sysmon') {
    return [`the connection's time is Sysmon's (event 3, written from a buffer) with no more exact record of it: the window allows it ${settings.sysmonSkew} early and ${settings.sysmonSkewLate} late`];
  }
  if (connection.clock === 'seconds') return ['the connection\'s time has whole seconds only: the window allows it up to 1 s early'];
  return [];
}

/** What the alert must say about an RPCSS host accepted on what is known of it rather than on its command line. */
function rpcssNotes(host: ProcessNode): string[] {
  if (host.commandLine !== '') return [];
  const as = host.accountName === '' ? '' : ` running as ${host.accountName}`;
  return [`the RPCSS host's command line is not in the data: identified as svchost.exe${as} accepting the connection on port 135`];
}

/**
 * Where a COM server can start relative to a connection that may begin a chain: the pattern's own compiled time
 * window, widened by the skew it allows each clock the store can hold (Sysmon's only when Windows event logs were
 * ingested; whole seconds always). Pairs are only seeds: the pattern checks each chain on its graph.
 */
function pairWindow(db: Store, compiled: CompiledPattern): PairWindow {
  const gap = compiled.steps.get('comServer')?.checks.find((check) => check.op === OPERATORS.gapAfter)?.value as GapWindow | undefined;
  if (!gap) throw new Error('detect: the DCOM pattern has no time window for its COM server');
  const clocks: Clock[] = hasWindowsEvents(db) ? ['seconds', 'sysmon'] : ['seconds'];
  let early = 0n;
  let late = 0n;
  for (const clock of clocks) {
    const skew = gap.skew[clock];
    if (skew && skew.early > early) early = skew.early;
    if (skew && skew.late > late) late = skew.late;
  }
  return { lo: gap.min - late, hi: gap.max + early + 1n };
}

/** How far apart in time the steps of a chain can be under `options.settings` (the widest time window). */
export function lineageReach(options: LineageOptions = {}): Ticks {
  return preparedDetection(options).compiled.reach;
}

interface PreparedDetection {
  settings: Settings;
  compiled: CompiledPattern;
  lists: ReturnType<typeof allowListPredicates>;
  excludePaths: string[];
  keep: (activation: { fileName: string; folderPath: string; commandLine: string }) => boolean;
}

/** The pattern compiled and the allow-list prepared once per options object (a refresh reuses its own). */
const prepared = new WeakMap<LineageOptions, PreparedDetection>();

/** The pattern compiled and the allow-list prepared for `options`, once per options object. */
export function preparedDetection(options: LineageOptions): PreparedDetection {
  const cached = prepared.get(options);
  if (cached) return cached;
  const settings: Settings = { ...DCOM_DEFAULT_SETTINGS, ...options.settings };
  const compiled = compilePattern(DCOM_LATERAL_MOVEMENT, settings);
  const lists = allowListPredicates(options.allowList ?? DEFAULT_ALLOW_LIST);
  // Only DcomLaunch starts the allow-list lets through can be a chain's COM server: pair on those alone. Entries that
  // are a plain path are applied in the store's join; the rest (wildcards, COM classes) on each pair.
  const comServers = lists.comServers as (node: ProcessNode) => boolean;
  const allowList = options.allowList ?? DEFAULT_ALLOW_LIST;
  const excludePaths = allowList.comServers.filter((e) => e.path && !e.path.includes('*') && !e.fileName && !e.clsid).map((e) => e.path as string);
  const keep = (a: { fileName: string; folderPath: string; commandLine: string }): boolean =>
    !comServers({ kind: 'process', fileName: a.fileName, folderPath: a.folderPath, clsid: clsidOf(a.commandLine) } as ProcessNode);
  const result = { settings, compiled, lists, excludePaths, keep };
  prepared.set(options, result);
  return result;
}

/** Alerts whose COM server started in [from, to) (null: unbounded), oldest first. */
export function detectLineage(db: Store, options: LineageOptions = {}): Alert[] {
  return detectLineageScopes(db, [{ deviceId: options.deviceId ?? null, from: options.from ?? null, to: options.to ?? null }], options)[0] as Alert[];
}

/**
 * For each scope, the alerts of its device (all, when null) whose COM server started in its [from, to), oldest
 * first. One pass: the pattern is compiled and the devices and boots read once for all scopes.
 */
export function detectLineageScopes(db: Store, scopes: readonly DetectScope[], options: LineageOptions = {}): Alert[][] {
  const { settings, compiled, lists, excludePaths, keep } = preparedDetection(options);
  const found = scopes.map(() => new Map<string, Alert>());
  for (const { graph, scope } of candidateGraphs(db, scopes, { excludePaths, keep }, compiled.reach, pairWindow(db, compiled))) {
    const { from, to } = scopes[scope] as DetectScope;
    const alerts = found[scope] as Map<string, Alert>;
    const byServer = new Map<string, PatternMatch[]>();
    for (const match of matchPattern(graph, compiled, { lists })) {
      const server = match.bindings.comServer as string;
      appendTo(byServer, server, match);
    }
    for (const [server, matches] of byServer) {
      const time = graph.getNodeAttribute(server, 'time') as Ticks;
      if ((from !== null && time < from) || (to !== null && time >= to)) continue;
      const alert = toAlert(graph, server, matches, settings);
      alerts.set(alert.id, alert);
    }
  }
  return found.map((alerts) => [...alerts.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1)));
}
