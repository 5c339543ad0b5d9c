// `lineage detect` and `lineage explain`: the composition root of detection (store, allow-list, settings) and the
// three output formats.
import { existsSync } from 'node:fs';
import { InvalidInput, parseTimeOrDate, type Ticks } from '../domain';
import {
  compareModes, DEFAULT_ALLOW_LIST, detectLineage, explainLineage, loadAllowList, replaySentinel, replaySentinelScheduled,
  type Alert, type LineageOptions, type NearMiss, type SentinelRow,
} from '../detect';
import { durationTicks } from '../patterns';
import { hasDevice, listDevices, openStore, type Store } from '../store';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { formatTable } from './format-table';

export interface DetectCommandOptions {
  db: string;
  mode: 'lineage' | 'sentinel';
  from?: string;
  to?: string;
  format: 'table' | 'json' | 'ndjson';
  schedule?: string | boolean;
  compare?: boolean;
  allowList?: string;
  windowMin: string;
  windowMax: string;
  bootGrace: string;
  sysmonSkew: string;
  sysmonSkewLate: string;
}

function timeOption(name: string, text: string | undefined): Ticks | null {
  if (text === undefined) return null;
  const parsed = parseTimeOrDate(text);
  if (!parsed) throw new InvalidInput(`detect: ${name}: not a time: ${text}`);
  return parsed.ticks;
}

function openExisting(db: string): Store {
  if (!existsSync(db)) throw new InvalidInput(`detect: no store at ${db} (run lineage ingest first, or pass --db)`);
  return openStore(db);
}

function lineageOptions(options: DetectCommandOptions): LineageOptions {
  for (const [name, value] of [['--window-min', options.windowMin], ['--window-max', options.windowMax], ['--boot-grace', options.bootGrace],
    ['--sysmon-skew', options.sysmonSkew], ['--sysmon-skew-late', options.sysmonSkewLate]] as const) {
    if (durationTicks(value) === null) throw new InvalidInput(`detect: ${name}: not a duration like 2s or 500ms: ${value}`);
  }
  const from = timeOption('--from', options.from);
  const to = timeOption('--to', options.to);
  if (from !== null && to !== null && to <= from) throw new InvalidInput('detect: --to must be after --from');
  return {
    from, to, allowList: options.allowList ? loadAllowList(options.allowList) : DEFAULT_ALLOW_LIST,
    settings: { windowMin: options.windowMin, windowMax: options.windowMax, bootGrace: options.bootGrace,
      sysmonSkew: options.sysmonSkew, sysmonSkewLate: options.sysmonSkewLate },
  };
}

function emit<T>(items: readonly T[], format: DetectCommandOptions['format'], io: CliIo, table: () => string): void {
  if (format === 'json') io.stdout(`${JSON.stringify(items, null, 2)}\n`);
  else if (format === 'ndjson') for (const item of items) io.stdout(`${JSON.stringify(item)}\n`);
  else io.stdout(`${table()}\n`);
}

const alertTable = (alerts: readonly Alert[]): string => `${formatTable(
  ['time', 'device', 'remote', 'COM server', 'children', 'gap s', 'id'],
  alerts.map((a) => [a.time, a.deviceName, [...new Set(a.connections.map((c) => c.remoteIp))].join(' '), a.comServer.commandLine,
    a.children.map((c) => c.fileName).join(', '), a.gapSeconds.toFixed(3), a.id]),
)}\n${alerts.length} alert(s)`;

const sentinelTable = (rows: ReadonlyArray<SentinelRow & { windowStart?: string }>): string => `${formatTable(
  ['TimestampProcEventExact', 'DeviceName', 'RemoteIP', 'LocalIP', 'DCOMCmdLine', 'set_ProcessCommandLine', ...(rows[0]?.windowStart ? ['window'] : [])],
  rows.map((r) => [r.TimestampProcEventExact, r.DeviceName, r.RemoteIP, r.LocalIP, r.DCOMCmdLine, r.set_ProcessCommandLine.join(' | '), ...(r.windowStart ? [r.windowStart] : [])]),
)}\n${rows.length} row(s)`;

const nearMissTable = (misses: readonly NearMiss[]): string => `${formatTable(
  ['time', 'device', 'stopped at', 'reason', 'COM server', 'remote'],
  misses.map((m) => [m.time, m.deviceName, m.step, m.reason, m.comServer?.commandLine ?? '-', m.connection?.remoteIp ?? '-']),
  60,
)}\n${misses.length} near miss(es)`;

/** Runs `lineage detect`. */
export function detectCommand(options: DetectCommandOptions, io: CliIo): number {
  const lineage = lineageOptions(options);
  const db = openExisting(options.db);
  try {
    if (options.compare) {
      const comparison = compareModes(db, lineage);
      if (options.format === 'table') {
        io.stdout(`${formatTable(['only in', 'time', 'device', 'COM server', 'why', ], comparison.differences.map((d) => [d.only, d.time, d.deviceName, d.comServerCommandLine, d.reason]), 90)}\n`
          + `sentinel rows ${comparison.sentinelRows} · lineage alerts ${comparison.lineageAlerts} · in both ${comparison.both} · differences ${comparison.differences.length}\n`);
      } else if (options.format === 'json') io.stdout(`${JSON.stringify(comparison, null, 2)}\n`);
      else for (const difference of comparison.differences) io.stdout(`${JSON.stringify(difference)}\n`);
      return EXIT.ok;
    }
    if (options.mode === 'sentinel') {
      if (options.schedule) {
        const period = durationTicks(options.schedule === true ? '1h' : options.schedule);
        if (period === null || period <= 0n) throw new InvalidInput(`detect: --schedule: not a period like 1h: ${String(options.schedule)}`);
        const rows = replaySentinelScheduled(db, period, lineage.from ?? null, lineage.to ?? null);
        emit(rows, options.format, io, () => sentinelTable(rows));
      } else {
        const rows = replaySentinel(db, lineage.from ?? null, lineage.to ?? null);
        emit(rows, options.format, io, () => sentinelTable(rows));
      }
      return EXIT.ok;
    }
    if (options.schedule) throw new InvalidInput('detect: --schedule replays the Sentinel rule: use it with --mode sentinel');
    const alerts = detectLineage(db, lineage);
    emit(alerts, options.format, io, () => alertTable(alerts));
    return EXIT.ok;
  } finally {
    db.close();
  }
}

/**
 * The DeviceId that `--device` names: a DeviceId, or a DeviceName that only one device has (names are what a hunter
 * sees in the portal). Anything else is a usage error, not an empty answer.
 */
function resolveDevice(db: Store, device: string): string {
  if (hasDevice(db, device)) return device;
  const named = listDevices(db).filter((d) => d.deviceName.toLowerCase() === device.toLowerCase());
  if (named.length === 1) return named[0]!.deviceId;
  if (named.length > 1) {
    throw new InvalidInput(`explain: --device: ${device} is the name of ${named.length} devices; give a DeviceId: ${named.map((d) => d.deviceId).join(', ')}`);
  }
  throw new InvalidInput(`explain: --device: no device has the DeviceId or DeviceName ${device} (the API lists them at /api/v1/devices)`);
}

/** Runs `lineage explain`. */
export function explainCommand(options: Omit<DetectCommandOptions, 'mode' | 'schedule' | 'compare'> & { device?: string }, io: CliIo): number {
  const lineage = lineageOptions({ ...options, mode: 'lineage' });
  const db = openExisting(options.db);
  try {
    const deviceId = options.device === undefined ? null : resolveDevice(db, options.device);
    const misses = explainLineage(db, { ...lineage, deviceId });
    emit(misses, options.format, io, () => nearMissTable(misses));
    return EXIT.ok;
  } finally {
    db.close();
  }
}
