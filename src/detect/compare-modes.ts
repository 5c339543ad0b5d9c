// `lineage detect --compare`: where the rule as written and Lineage's detection disagree, and why. A chain only the
// rule reports gets the condition Lineage's pattern stopped it on (from explain); a chain only Lineage reports gets
// the rule's condition that dropped it, checked against the same events.
import { parseTime, TICKS_PER_SECOND, type Ticks } from '../domain';
import { readBoots, readSpawnedBy, type Store } from '../store';
import type { Alert } from './alert';
import { detectLineage, lineageReach, type LineageOptions } from './detect-lineage';
import { explainLineage } from './explain-lineage';
import { bin, datetimeDiffSeconds, equalsIgnoreCase } from './kusto';
import { replaySentinel } from './replay-sentinel';
import { SENTINEL_RULE, type SentinelRow } from './sentinel-rule';

export interface ModeDifference {
  only: 'sentinel' | 'lineage';
  deviceId: string;
  deviceName: string;
  /** The COM server's start. */
  time: string;
  comServerPid: number | null;
  comServerCommandLine: string;
  remoteIps: string[];
  reason: string;
  sentinelRow: SentinelRow | null;
  alert: Alert | null;
}

export interface ModeComparison {
  sentinelRows: number;
  lineageAlerts: number;
  both: number;
  differences: ModeDifference[];
}

const SECOND = TICKS_PER_SECOND;
const ticks = (text: string): Ticks => parseTime(text)?.ticks ?? 0n;
const maxTicks = (bound: Ticks | null, value: Ticks): Ticks => (bound !== null && bound > value ? bound : value);
const minTicks = (bound: Ticks | null, value: Ticks): Ticks => (bound !== null && bound < value ? bound : value);
const closeInTime = (a: string, b: string): boolean => {
  const d = ticks(a) - ticks(b);
  return d <= SECOND && d >= -SECOND;
};

function sameChain(row: SentinelRow, alert: Alert): boolean {
  return row.DeviceId === alert.deviceId && row.InitiatingProcessId === alert.comServer.pid
    && row.DCOMCmdLine === alert.comServer.commandLine && closeInTime(row.TimestampProcEventExact, alert.time);
}

/** The rule's condition that drops a chain Lineage reports. */
function whyRuleMisses(db: Store, alert: Alert, from: Ticks | null, to: Ticks | null): string {
  const boots = readBoots(db, from, to).filter((b) => b.deviceId === alert.deviceId).map((b) => b.time);
  const server = alert.comServer;
  const serverTime = ticks(alert.time);
  if (boots.length === 0) return 'no services.exe start in the queried data: the rule\'s LastBootTime is null and the row is dropped';
  const lastBoot = boots.reduce((a, b) => (b > a ? b : a));
  if (!(bin(serverTime, 5n * SECOND) > lastBoot + 300n * SECOND)) return 'the device booted again after the activation: the rule compares with the latest boot only and drops it';
  if (SENTINEL_RULE.allowListedExecs.some((name) => equalsIgnoreCase(name, server.fileName))) return `the rule allow-lists every ${server.fileName} by name`;
  const diffs = alert.connections.map((c) => datetimeDiffSeconds(serverTime, ticks(c.time)));
  if (diffs.every((d) => d < 0n || d > 2n)) return `datetime_diff counts ${diffs.join(', ')} second boundaries: outside the rule's 0..2`;
  if (alert.children.every((c) => equalsIgnoreCase(c.fileName, 'csc.exe'))) return 'the rule ignores every child named csc.exe, wherever it lives';
  const childRows = server.pid === null ? [] : readSpawnedBy(db, alert.deviceId, server.pid, server.createdAt === null ? null : ticks(server.createdAt), from, to);
  if (childRows.length > 0 && childRows.every((c) => c.initiatorFileName !== server.fileName && equalsIgnoreCase(c.initiatorFileName, server.fileName))) {
    return `the children name their parent ${childRows[0]?.initiatorFileName}: the rule's case-sensitive \`in\` drops them`;
  }
  return 'the rule\'s command-line term or PID conditions do not hold for this chain';
}

/** Both modes over [from, to) and where they differ. */
export function compareModes(db: Store, options: LineageOptions = {}): ModeComparison {
  const from = options.from ?? null;
  const to = options.to ?? null;
  const rows = replaySentinel(db, from, to);
  const alerts = detectLineage(db, options);
  const reach = lineageReach(options);
  const differences: ModeDifference[] = [];
  let both = 0;
  for (const row of rows) {
    const alert = alerts.find((a) => sameChain(row, a));
    if (alert) {
      both++;
      continue;
    }
    // Why Lineage stays silent: explain around this row only (its device, the pattern's reach either side), not the
    // whole range: a store's near misses are mostly allow-listed COM servers, thousands of them.
    const at = ticks(row.TimestampProcEventExact);
    const around = { deviceId: row.DeviceId, from: maxTicks(from, at - reach), to: minTicks(to, at + reach) };
    const near = explainLineage(db, options, around)
      .find((m) => m.comServer?.pid === row.InitiatingProcessId && closeInTime(m.time, row.TimestampProcEventExact));
    differences.push({
      only: 'sentinel', deviceId: row.DeviceId, deviceName: row.DeviceName, time: row.TimestampProcEventExact,
      comServerPid: row.InitiatingProcessId, comServerCommandLine: row.DCOMCmdLine, remoteIps: [row.RemoteIP],
      reason: near ? `Lineage: ${near.reason}` : 'Lineage: not a DCOM chain (no inbound RPC connection and DcomLaunch start pair)',
      sentinelRow: row, alert: null,
    });
  }
  for (const alert of alerts) {
    if (rows.some((row) => sameChain(row, alert))) continue;
    differences.push({
      only: 'lineage', deviceId: alert.deviceId, deviceName: alert.deviceName, time: alert.time, comServerPid: alert.comServer.pid,
      comServerCommandLine: alert.comServer.commandLine, remoteIps: [...new Set(alert.connections.map((c) => c.remoteIp))],
      reason: `Sentinel rule: ${whyRuleMisses(db, alert, from, to)}`, sentinelRow: null, alert,
    });
  }
  differences.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.deviceId < b.deviceId ? -1 : 1));
  return { sentinelRows: rows.length, lineageAlerts: alerts.length, both, differences };
}
