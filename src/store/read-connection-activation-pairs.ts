// The chain's first two hops as one join: connections to the RPC endpoint mapper (port 135, owned by the RPCSS host)
// paired with DcomLaunch starts just after them. Two plans over partial indexes:
// - from the connections: one seek into the DcomLaunch starts per connection. Cost follows the connections in range,
//   so it serves bounded scopes (a device, a time range, the scopes of an incremental refresh).
// - from the starts the allow-list lets through: benign COM servers (WmiPrvSE, RuntimeBroker ...) are most DcomLaunch
//   starts and pair with most connections, so over a whole store the selective side is the few starts left. Index
//   ranges that skip the allow-listed names, or a loose scan that skips the allow-listed paths and judges each
//   distinct path, name and command line once, read only those, then one seek into the connections each.
//   On a 928k-event fleet: 48 of 122,642 starts, against 32,911 seeks from the connections.
// The same loose scan lists the starts that can be a chain's COM server for the incremental refresh.
import { TICKS_PER_SECOND, withFields, type StoredNetworkEvent, type StoredProcessEvent, type Ticks } from '../domain';
import { DCOMLAUNCH_START, MAX_TICKS, MIN_TICKS, NETWORK_SELECT, networkFromRow, ON_DEVICE, PROCESS_SELECT, processFromRow, RPC135 } from './event-rows';
import type { Store } from './open-store';
import { prepared } from './prepared';

export interface ConnectionActivationPair {
  connection: StoredNetworkEvent;
  activation: StoredProcessEvent;
}

export interface ActivationText {
  fileName: string;
  folderPath: string;
  commandLine: string;
}

export interface PairFilter {
  /** Drop activations with these file names (compared in lower case) in SQL, before any row is read. */
  excludeFileNames?: readonly string[];
  /** Drop activations at these paths (compared in lower case) in SQL. */
  excludePaths?: readonly string[];
  /** Then keep only the pairs whose activation this accepts. */
  keep?: (activation: ActivationText) => boolean;
  /** Only this device. */
  deviceId?: string | null;
}

/** The connection's time a pair window counts from: its Timestamp, or (the rule's `datetime_diff`) its second. */
const pairBase = (floorToSecond: boolean): string => (floorToSecond ? `(n.ts - n.ts % ${TICKS_PER_SECOND})` : 'n.ts');
const lowered = (items: readonly string[] | undefined): string[] => [...new Set((items ?? []).map((i) => i.toLowerCase()))];

/**
 * WHERE clauses of index ranges that together hold every value of `key` except those in `excluded`: the gaps
 * between the excluded values, in the order SQLite compares text (UTF-8 bytes).
 */
function gapsBetween(key: string, excluded: readonly string[]): Array<{ where: string; params: string[] }> {
  const sorted = [...excluded].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const gaps: Array<{ where: string; params: string[] }> = [];
  for (let i = 0; i <= sorted.length; i++) {
    const below = i > 0 ? sorted[i - 1] : undefined;
    const above = i < sorted.length ? sorted[i] : undefined;
    gaps.push({
      where: [below === undefined ? '' : `${key} > ?`, above === undefined ? '' : `${key} < ?`].filter(Boolean).join(' AND '),
      params: [below, above].filter((v): v is string => v !== undefined),
    });
  }
  return gaps;
}

/**
 * Each distinct (lower-case path, lower-case name, command line) of the DcomLaunch starts in [lower, upper) that the
 * excluded names and paths let through, with one start's name and path, in index order. A loose index scan: one seek
 * per distinct key, never a step per start (on a 928k-event fleet, 15 seeks against a 20 ms GROUP BY over 15,000
 * dllhost.exe starts). An excluded path is skipped whole, with one seek past it; excluded names are a filter.
 */
function distinctStarts(db: Store, lower: Ticks, upper: Ticks, names: string[], paths: string[]): Array<[string, string, string, string, string]> {
  const filter = `${DCOMLAUNCH_START('p')} AND p.ts >= @lower AND p.ts < @upper${names.length > 0 ? ' AND lower(p.file_name) NOT IN (SELECT value FROM json_each(@names))' : ''}`;
  // ORDER BY names only the key's parts not bound by equality: listing the bound expressions too makes SQLite sort.
  const first = (where: string, orderBy: string): string => `SELECT * FROM (
    SELECT lower(p.folder_path), lower(p.file_name), p.cmdline, p.file_name, p.folder_path
    FROM process_events p INDEXED BY process_events_dcomlaunch_by_path WHERE ${where} AND ${filter} ORDER BY ${orderBy} LIMIT 1)`;
  const laterPath = first('lower(p.folder_path) > @path', '1, 2, 3');
  const pathAfter = prepared(db, laterPath).raw();
  // The next key: a later command line of the same path and name, else a later name, else a later path. SQLite runs
  // the branches in turn and stops at the first row: one call, not three.
  const keyAfter = prepared(db, `${first('lower(p.folder_path) = @path AND lower(p.file_name) = @name AND p.cmdline > @commandLine', 'p.cmdline')}
    UNION ALL ${first('lower(p.folder_path) = @path AND lower(p.file_name) > @name', '2, 3')} UNION ALL ${laterPath} LIMIT 1`).raw();
  const bounds = { lower, upper, ...(names.length > 0 ? { names: JSON.stringify(names) } : {}) };
  const excluded = new Set(paths);
  type Row = [string, string, string, string, string] | undefined;
  const groups: Array<[string, string, string, string, string]> = [];
  let row = prepared(db, first("lower(p.folder_path) >= ''", '1, 2, 3')).raw().get(bounds) as Row;
  while (row) {
    const [path, name, commandLine] = row;
    if (excluded.has(path)) {
      row = pathAfter.get(withFields(bounds, { path })) as Row;
      continue;
    }
    groups.push(row);
    row = keyAfter.get(withFields(bounds, { path, name, commandLine })) as Row;
  }
  return groups;
}

/**
 * The distinct (lower-case path, lower-case name, command line) that `keep` accepts, as the JSON list the starts'
 * queries join on; null when there is none. `keep` judges each key once, not each start: the starts left are mostly a
 * few COM servers started thousands of times (dllhost.exe per COM class). The representative's name and path differ
 * from the key's other starts in ASCII case at most, which `keep` (case-insensitive) cannot tell apart.
 */
function acceptedKeys(db: Store, lower: Ticks, upper: Ticks, names: string[], paths: string[], keep: PairFilter['keep']): string | null {
  const accepted = distinctStarts(db, lower, upper, names, paths)
    .filter(([, , commandLine, fileName, folderPath]) => !keep || keep({ fileName, folderPath, commandLine }));
  return accepted.length === 0 ? null : JSON.stringify(accepted.map(([path, name, commandLine]) => [path, name, commandLine]));
}

/**
 * `SELECT columns` of the DcomLaunch starts whose (lower-case path, lower-case name, command line) is in the JSON
 * list bound first (acceptedKeys): one seek per key into the by-path index.
 */
const acceptedStarts = (columns: string): string => `SELECT ${columns}
  FROM json_each(?) g CROSS JOIN process_events p INDEXED BY process_events_dcomlaunch_by_path
    ON lower(p.folder_path) = g.value ->> 0 AND lower(p.file_name) = g.value ->> 1 AND p.cmdline = g.value ->> 2
  WHERE ${DCOMLAUNCH_START('p')}`;

/** A DcomLaunch start the allow-list lets through: one that can be the COM server of a chain. */
export interface SurvivingStart {
  id: number;
  deviceId: string;
  /** The device's row in the store. */
  deviceRow: number;
  /** The start's Timestamp. */
  time: Ticks;
  /** The process's creation time, when the source gives it (the time a graph and an alert know it by). */
  createdAt: Ticks | null;
}

/**
 * Every DcomLaunch start in the store that the filter's names, paths and `keep` let through, by the allow-list plan
 * of the whole-store pair join: a loose scan for the distinct (path, name, command line), `keep` once per group, then
 * the accepted groups' rows. The cost follows the groups and the starts that survive, not the store (on a 928k-event
 * fleet: 48 of 122,642 starts, in well under a millisecond).
 */
export function readSurvivingStarts(db: Store, filter: PairFilter): SurvivingStart[] {
  const accepted = acceptedKeys(db, MIN_TICKS, MAX_TICKS, lowered(filter.excludeFileNames), lowered(filter.excludePaths), filter.keep);
  if (accepted === null) return [];
  const rows = prepared(db, `SELECT s.id, d.device_id, s.device, s.ts, s.created
    FROM (${acceptedStarts('p.id, p.device, p.ts, p.created')}) s JOIN devices d ON d.id = s.device`).safeIntegers().raw().all(accepted);
  return (rows as Array<[bigint, string, bigint, bigint, bigint | null]>).map(([id, deviceId, deviceRow, time, createdAt]) => ({ id: Number(id), deviceId, deviceRow: Number(deviceRow), time, createdAt }));
}

/** [connection id, activation id, file name, folder path, command line], in the join's order, from the starts' side. */
function pairsFromActivations(db: Store, lower: Ticks, upper: Ticks, lo: Ticks, hi: Ticks, floorToSecond: boolean,
  names: string[], paths: string[], keep: PairFilter['keep']): Array<[number, number, string, string, string]> {
  const columns = 'p.id, p.device, p.ts, p.ident, p.file_name, p.folder_path, p.cmdline';
  let activations: string;
  let activationParams: unknown[];
  if (keep) {
    // The accepted keys are seeks into the index (they lie between the allow-listed values already).
    const kept = acceptedKeys(db, lower, upper, names, paths, keep);
    if (kept === null) return [];
    activations = `${acceptedStarts(columns)} AND p.ts >= ? AND p.ts < ?`;
    activationParams = [kept, lower, upper];
  } else {
    // The starts in every gap between the excluded names (or paths), one branch per gap.
    const byName = names.length > 0;
    const gaps = gapsBetween(byName ? 'lower(p.file_name)' : 'lower(p.folder_path)', byName ? names : paths);
    activations = gaps.map((gap) => `SELECT ${columns}
      FROM process_events p INDEXED BY ${byName ? 'process_events_dcomlaunch_by_name' : 'process_events_dcomlaunch_by_path'}
      WHERE ${DCOMLAUNCH_START('p')} AND ${gap.where} AND p.ts >= ? AND p.ts < ?
        AND lower(p.file_name) NOT IN (SELECT value FROM json_each(?)) AND lower(p.folder_path) NOT IN (SELECT value FROM json_each(?))`).join(' UNION ALL ');
    activationParams = gaps.flatMap((gap) => [...gap.params, lower, upper, JSON.stringify(names), JSON.stringify(paths)]);
  }
  const base = pairBase(floorToSecond);
  // base is in (a.ts - hi, a.ts - lo], and n.ts is base or, floored, less than a second after it.
  const sql = `SELECT n.id, a.id, a.file_name, a.folder_path, a.cmdline
    FROM (${activations}) a
    CROSS JOIN network_events n INDEXED BY network_events_rpc135
      ON n.device = a.device AND n.ts > a.ts - ? AND n.ts < a.ts - ? + ?
    WHERE ${RPC135('n')} AND n.ts >= ? AND n.ts < ? AND a.ts >= ${base} + ? AND a.ts < ${base} + ?
    ORDER BY n.ts, n.ident, n.device, a.ts, a.ident`;
  const params = [...activationParams, hi, lo, floorToSecond ? TICKS_PER_SECOND : 1n, lower, upper, lo, hi];
  return prepared(db, sql).raw().all(...params) as Array<[number, number, string, string, string]>;
}

/** The same, from the connections' side: one range of DcomLaunch starts per connection. */
function pairsFromConnections(db: Store, lower: Ticks, upper: Ticks, lo: Ticks, hi: Ticks, floorToSecond: boolean,
  names: string[], paths: string[], deviceId: string | null | undefined, byDevice: boolean): Array<[number, number, string, string, string]> {
  const base = pairBase(floorToSecond);
  // One lower and one upper bound on p.ts (max/min of the pair window and the range), so the index range is the
  // pair window: with two separate bounds SQLite may pick the range's and scan the device's whole history.
  // A bounded range over every device is driven from the devices, so each device's connections are one index range
  // (device, ts): a window of minutes in a day-long store reads minutes, not the day.
  return prepared(db, `SELECT n.id, p.id, p.file_name, p.folder_path, p.cmdline
    FROM ${byDevice ? 'devices dv CROSS JOIN ' : ''}network_events n INDEXED BY network_events_rpc135${byDevice ? ' ON n.device = dv.id' : ''}
    CROSS JOIN process_events p INDEXED BY process_events_dcomlaunch
      ON p.device = n.device AND p.ts >= max(${base} + ?, ?) AND p.ts < min(${base} + ?, ?)
    WHERE ${RPC135('n')} AND n.ts >= ? AND n.ts < ?
      ${deviceId ? ON_DEVICE('n') : ''}
      AND ${DCOMLAUNCH_START('p')}
      AND lower(p.file_name) NOT IN (SELECT value FROM json_each(?)) AND lower(p.folder_path) NOT IN (SELECT value FROM json_each(?))
    ORDER BY n.ts, n.ident, n.device, p.ts, p.ident`).raw().all(lo, lower, hi, upper, lower, upper, ...(deviceId ? [deviceId] : []),
    JSON.stringify(names), JSON.stringify(paths)) as Array<[number, number, string, string, string]>;
}

/**
 * Pairs of a port-135 connection whose owner's command line mentions rpcss and a process started by an svchost.exe
 * whose command line mentions dcomlaunch (or is not in the data), on the same device, the process's Timestamp in
 * [base + lo, base + hi) where base is the connection's Timestamp, floored to the second when `floorToSecond`.
 * Both events in [from, to). Ordered by the connection's time and identity, then the start's. Only rows of pairs are
 * read whole, never every candidate.
 */
export function readConnectionActivationPairs(db: Store, from: Ticks | null, to: Ticks | null, lo: Ticks, hi: Ticks, floorToSecond: boolean,
  filter: PairFilter = {}): ConnectionActivationPair[] {
  const names = lowered(filter.excludeFileNames);
  const paths = lowered(filter.excludePaths);
  const [lower, upper] = [from ?? MIN_TICKS, to ?? MAX_TICKS];
  const wholeStore = !filter.deviceId && from === null && to === null;
  const pairs = wholeStore && (names.length > 0 || paths.length > 0)
    ? pairsFromActivations(db, lower, upper, lo, hi, floorToSecond, names, paths, filter.keep)
    : pairsFromConnections(db, lower, upper, lo, hi, floorToSecond, names, paths, filter.deviceId, !filter.deviceId && !wholeStore)
      .filter(([, , fileName, folderPath, commandLine]) => !filter.keep || filter.keep({ fileName, folderPath, commandLine }));
  const connectionById = prepared(db, `SELECT ${NETWORK_SELECT} FROM network_events e JOIN devices d ON d.id = e.device WHERE e.id = ?`).raw();
  const processById = prepared(db, `SELECT ${PROCESS_SELECT} FROM process_events e JOIN devices d ON d.id = e.device WHERE e.id = ?`).raw();
  const connections = new Map<number, StoredNetworkEvent>();
  const activations = new Map<number, StoredProcessEvent>();
  const out: ConnectionActivationPair[] = [];
  for (const [connectionId, activationId] of pairs) {
    let connection = connections.get(connectionId);
    if (!connection) connections.set(connectionId, connection = networkFromRow(connectionById.get(connectionId) as unknown[]));
    let activation = activations.get(activationId);
    if (!activation) activations.set(activationId, activation = processFromRow(processById.get(activationId) as unknown[]));
    out.push({ connection, activation });
  }
  return out;
}
