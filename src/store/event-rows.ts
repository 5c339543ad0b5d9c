// How stored event rows are selected and turned back into normalised events (hot columns; columnsText not loaded).
import { SAME_START_SLACK, type StoredNetworkEvent, type StoredProcessEvent, type Ticks } from '../domain';

const PROCESS_COLUMNS = ['id', 'ts', 'ts_text', 'ident', 'device_name', 'action_type', 'report_id', 'pid', 'created', 'file_name',
  'folder_path', 'cmdline', 'unique_id', 'account_name', 'init_pid', 'init_created', 'init_file_name', 'init_folder_path',
  'init_cmdline', 'init_unique_id', 'init_account_name', 'parent_pid', 'parent_created', 'parent_file_name'];
const NETWORK_COLUMNS = ['id', 'ts', 'ts_text', 'ident', 'device_name', 'action_type', 'report_id', 'local_ip', 'local_port', 'remote_ip',
  'remote_port', 'protocol', 'init_pid', 'init_created', 'init_file_name', 'init_folder_path', 'init_cmdline', 'init_unique_id',
  'init_account_name', 'parent_pid', 'parent_created', 'parent_file_name'];

// Tick columns are read as text and turned into bigint here: better-sqlite3's safeIntegers mode would make a bigint of
// every integer column, and that was most of the cost of reading rows.
const TICK_COLUMNS = new Set(['ts', 'created', 'init_created', 'parent_created']);
const select = (columns: readonly string[], alias: string): string =>
  `d.device_id, ${columns.map((c) => (TICK_COLUMNS.has(c) ? `CAST(${alias}.${c} AS TEXT)` : `${alias}.${c}`)).join(', ')}`;

/** Columns of process_events aliased `alias` (with devices `d`), in the order processFromRow reads them. */
export const processSelect = (alias: string): string => select(PROCESS_COLUMNS, alias);
/** Columns of network_events aliased `alias` (with devices `d`), in the order networkFromRow reads them. */
export const networkSelect = (alias: string): string => select(NETWORK_COLUMNS, alias);
/** How many values processSelect / networkSelect produce. */
export const PROCESS_WIDTH = PROCESS_COLUMNS.length + 1;
export const NETWORK_WIDTH = NETWORK_COLUMNS.length + 1;

export const PROCESS_SELECT = processSelect('e');
export const NETWORK_SELECT = networkSelect('e');

const n = (v: unknown): number | null => (v === null ? null : (v as number));
const t = (v: unknown): Ticks | null => (v === null ? null : BigInt(v as string));
const s = (v: unknown): string => v as string;

/** A raw row of PROCESS_SELECT as an event. */
export function processFromRow(r: unknown[]): StoredProcessEvent {
  return {
    kind: 'process', table: 'DeviceProcessEvents', deviceId: s(r[0]), id: r[1] as number, time: BigInt(r[2] as string), timeText: s(r[3]),
    identity: r[4] as number, deviceName: s(r[5]), actionType: s(r[6]), reportId: s(r[7]), pid: n(r[8]), createdAt: t(r[9]),
    fileName: s(r[10]), folderPath: s(r[11]), commandLine: s(r[12]), uniqueId: s(r[13]), accountName: s(r[14]),
    initiatorPid: n(r[15]), initiatorCreatedAt: t(r[16]), initiatorFileName: s(r[17]), initiatorFolderPath: s(r[18]),
    initiatorCommandLine: s(r[19]), initiatorUniqueId: s(r[20]), initiatorAccountName: s(r[21]), parentPid: n(r[22]),
    parentCreatedAt: t(r[23]), parentFileName: s(r[24]), columnsText: '',
  };
}

/** A raw row of NETWORK_SELECT as an event. */
export function networkFromRow(r: unknown[]): StoredNetworkEvent {
  return {
    kind: 'network', table: 'DeviceNetworkEvents', deviceId: s(r[0]), id: r[1] as number, time: BigInt(r[2] as string), timeText: s(r[3]),
    identity: r[4] as number, deviceName: s(r[5]), actionType: s(r[6]), reportId: s(r[7]), localIp: s(r[8]), localPort: n(r[9]),
    remoteIp: s(r[10]), remotePort: n(r[11]), protocol: s(r[12]), initiatorPid: n(r[13]), initiatorCreatedAt: t(r[14]),
    initiatorFileName: s(r[15]), initiatorFolderPath: s(r[16]), initiatorCommandLine: s(r[17]), initiatorUniqueId: s(r[18]),
    initiatorAccountName: s(r[19]), parentPid: n(r[20]), parentCreatedAt: t(r[21]), parentFileName: s(r[22]), columnsText: '',
  };
}

export const MIN_TICKS = -(2n ** 62n);
export const MAX_TICKS = 2n ** 62n;

/** `AND` the event's device is the one whose DeviceId is bound here: the indexes lead with the device, so one range. */
export const ON_DEVICE = (a: string): string => `AND ${a}.device = (SELECT id FROM devices WHERE device_id = ?)`;

// The conditions of the partial indexes (schema.ts), one definition each: a query may use a partial index only when
// its WHERE repeats the index's condition, so every query that relies on one takes its condition from here.

/** A port-135 connection whose owner is the RPCSS host, or an owner whose command line the source does not carry. */
export const RPC135 = (a: string): string => `${a}.local_port = 135 AND (${a}.init_cmdline LIKE '%rpcss%' OR ${a}.init_cmdline = '')`;
/** A start by the DcomLaunch host, or by an svchost.exe whose command line the source does not carry. */
export const DCOMLAUNCH_START = (a: string): string =>
  `${a}.init_file_name = 'svchost.exe' COLLATE NOCASE AND (${a}.init_cmdline LIKE '%dcomlaunch%' OR ${a}.init_cmdline = '')`;
/** A start of services.exe: a boot. */
export const BOOT = (a: string): string => `${a}.file_name = 'services.exe' COLLATE NOCASE AND ${NOT_AN_END(a)}`;
/**
 * Rows (aliased `a`) initiated by the process started at `createdAt`, or, from sources that key processes by a unique
 * id and name the initiator without its creation time (Sysmon), by the one with `uniqueId`: the condition as its
 * alternatives (OR them for the whole), each one range of an index led by (device, init_pid, init_created), so each
 * gives its rows in time order: a caller that wants the first few in time order merges them instead of sorting all.
 */
export function initiatorArms(a: string, createdAt: Ticks, uniqueId: string): Array<{ sql: string; params: unknown[] }> {
  const arms = [{ sql: `${a}.init_created = ?`, params: [createdAt] as unknown[] }];
  if (uniqueId !== '') arms.push({ sql: `${a}.init_created IS NULL AND ${a}.init_unique_id = ?`, params: [uniqueId] });
  return arms;
}

/**
 * A query over alternatives (initiatorArms), in (ts, ident) order, then `tail` (a LIMIT): one alternative is one
 * ordered range of `e`; several are merged in that order (SQLite's MERGE of a UNION ALL), each from its own ordered
 * range, so a limit stops the walk instead of every row being gathered and sorted. `select(condition, orderColumns)`
 * is the SELECT of one alternative, the extra order columns appended to its result columns.
 */
export function inTimeOrder(armsSql: readonly string[], select: (condition: string, orderColumns: string) => string, tail: string): string {
  if (armsSql.length === 1) return `${select(armsSql[0] as string, '')} ORDER BY e.ts, e.ident${tail}`;
  return `${armsSql.map((condition) => select(condition, ', e.ts AS order_ts, e.ident AS order_ident')).join(' UNION ALL ')}
    ORDER BY order_ts, order_ident${tail}`;
}

/** Rows `q` near row `a`'s start: same device and image, creation times within SAME_START_SLACK. */
const nearStart = (q: string, a: string): string => `${q}.device = ${a}.device
  AND ${q}.created BETWEEN ${a}.created - ${SAME_START_SLACK} AND ${a}.created + ${SAME_START_SLACK}
  AND ${q}.file_name = ${a}.file_name COLLATE NOCASE AND ${NOT_AN_END(q)}`;

/**
 * The rule of graph/reconcile-sources.ts, which folds into one node the records of one process start by a source
 * keyed by unique ids (Sysmon 1) and one keyed by PID alone (Security 4688): rows `q` that record the start of row
 * `a` the other way, as conditions to OR (each is served by an index on its own; one OR'd condition was planned
 * as a walk of the device's rows). Near the same start (nearStart), and the same PID, or the same creator when the
 * unique-id source lost the PID. `aKeyedById` says which kind `a` is.
 */
export function sameStart(q: string, a: string, aKeyedById: boolean): string[] {
  const near = nearStart(q, a);
  return aKeyedById
    ? [`${near} AND ${q}.unique_id = '' AND ${q}.pid = ${a}.pid`,
      `${near} AND ${q}.unique_id = '' AND ${a}.pid IS NULL AND ${q}.init_pid = ${a}.init_pid`]
    : [`${near} AND ${q}.unique_id <> '' AND ${q}.pid = ${a}.pid`,
      `${near} AND ${q}.unique_id <> '' AND ${q}.pid IS NULL AND ${q}.init_pid = ${a}.init_pid`];
}

/**
 * A start known by PID alone (Security 4688) whose process a source with unique ids (Sysmon) recorded too: lists show
 * the richer record only, as the graph shows one node.
 */
export const HAS_RICHER_TWIN = (a: string): string => `${a}.unique_id = '' AND ${a}.created IS NOT NULL AND (${
  sameStart('q', a, false).map((condition) => `EXISTS (SELECT 1 FROM process_events q WHERE ${condition})`).join(' OR ')})`;

/** A process row that is a start, not a process end (Sysmon 5, Security 4689). */
export const NOT_AN_END = (a: string): string => `${a}.action_type <> 'ProcessTerminated'`;
