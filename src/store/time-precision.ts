// One event exported at two time precisions (a stream's 100 ns, a portal CSV's milliseconds, a converter's
// microseconds) is one event, and one process is one process: the ingest writer's checks for both, and what they
// need to know of the store (the time resolutions each device has events at, schema v15).
import { EVENT_ROW as E, PROCESS_ROW as P, TICKS_PER_SECOND, type EventRow } from '../domain';
import type { Store } from './open-store';

/** The least window for twins: wider than a converter's error (python-evtx: 2 µs), narrow enough to read few rows. */
const TWIN_SLACK = 10_000n; // 1 ms

/** The time resolutions (ticks) a device has events at, and the coarsest of them. */
interface Resolutions {
  all: bigint[];
  coarsest: bigint;
}

export interface TimePrecision {
  /** Call at the start of each batch, inside its transaction: reloads what another connection may have added. */
  startBatch(): void;
  /**
   * How far apart a row's times may be from the store's for the same thing, given the row's own time resolution:
   * the coarser of it and the device's coarsest one, at least TWIN_SLACK; 0 when both are 100 ns. So the bulk of any
   * feed (100 ns, devices never exported coarsely) costs a map lookup, and a coarse one (Sysmon's millisecond
   * UtcTime) a seek reading the index entries of a millisecond or two.
   */
  window(device: number, resolution: bigint): bigint;
  /**
   * Whether the store holds this event already, at another precision: an event with a ReportId or record number
   * matches one with the same identity within `window` either way. A content-hashed identity has the time text in
   * it and never matches here.
   */
  hasTwin(isProcess: boolean, row: EventRow, device: number, window: bigint): boolean;
  /** Whether the device has events at a resolution other than `resolution`. */
  mixed(device: number, resolution: bigint): boolean;
  /**
   * Maps the row's creation times (its process's, its initiator's, the initiator's parent's) to the ones the store
   * already names those processes by (see knownCreation). In place: the writer owns the row and binds what it holds.
   */
  alignCreations(isProcess: boolean, row: EventRow, device: number, window: bigint): void;
  /** Records that the device has a stored event at `resolution`. */
  note(device: number, resolution: bigint): void;
}

/** The precision checks over `db` (prepared once). */
export function createTimePrecision(db: Store): TimePrecision {
  const nearTwin = (table: string) => db.prepare(`SELECT 1 FROM ${table} WHERE device = ? AND ts BETWEEN ? AND ? AND ident = ? LIMIT 1`).pluck();
  const processTwin = nearTwin('process_events');
  const networkTwin = nearTwin('network_events');
  // A process's creation time as the store names it, by its own start or as an initiator: each one index seek,
  // stopping at the first entry in the range (a parent's thousands of children share its one value). Ticks as bigints.
  const startNear = db.prepare('SELECT created FROM process_events WHERE device = ? AND pid = ? AND created BETWEEN ? AND ? LIMIT 1')
    .pluck().safeIntegers();
  const initiatorNear = db.prepare(`SELECT init_created FROM process_events WHERE device = ? AND init_pid = ?
    AND init_created BETWEEN ? AND ? LIMIT 1`).pluck().safeIntegers();
  const selectResolutions = db.prepare<[], [number, number]>('SELECT device, resolution FROM time_resolutions').raw();
  const insertResolution = db.prepare('INSERT OR IGNORE INTO time_resolutions (device, resolution) VALUES (?, ?)');

  const resolutions = new Map<number, Resolutions>();
  let resolutionsVersion = -1;
  /** knownCreation's answers within the current batch: a CSV export names each parent in many rows. */
  const knownCreations = new Map<string, unknown>();

  function remember(device: number, resolution: bigint): boolean {
    let known = resolutions.get(device);
    if (!known) resolutions.set(device, known = { all: [], coarsest: 1n });
    if (known.all.includes(resolution)) return false;
    known.all.push(resolution);
    if (resolution > known.coarsest) known.coarsest = resolution;
    return true;
  }

  /**
   * The creation time the store already names the process (device, `pid`) by, when one is within `window` of `time`
   * (at most a second), else `time`. A process is keyed by its exact creation time, so without this a long-lived
   * process whose start came in a stream export (100 ns) and whose children in a portal CSV (milliseconds) would be
   * two nodes. Any time stored for the PID within the window is taken to be that process's (the first stored wins,
   * as for twins): a PID handed on to a new process within the millisecond of a portal CSV is not seen in practice,
   * and within the second of a whole-second export is rare. A minute-resolution export (no seconds), which could not
   * tell such processes apart, is left as it is.
   */
  function knownCreation(device: number, pid: unknown, time: unknown, window: bigint): unknown {
    if (pid === null || time === null || window > TICKS_PER_SECOND) return time;
    const key = `${device} ${pid as number} ${time as bigint}`;
    let known = knownCreations.get(key);
    if (known === undefined) {
      const from = (time as bigint) - window + 1n;
      const to = (time as bigint) + window - 1n;
      known = startNear.get(device, pid, from, to) ?? initiatorNear.get(device, pid, from, to) ?? time;
      knownCreations.set(key, known);
    }
    return known;
  }

  return {
    startBatch() {
      knownCreations.clear();
      // This connection's own commits never change data_version; another's (a concurrent ingest) do.
      const version = db.pragma('data_version', { simple: true }) as number;
      if (version === resolutionsVersion) return;
      resolutionsVersion = version;
      resolutions.clear();
      for (const [device, resolution] of selectResolutions.all()) remember(device, BigInt(resolution));
    },
    window(device, resolution) {
      const stored = resolutions.get(device)?.coarsest ?? 1n;
      const window = resolution > stored ? resolution : stored;
      if (window <= 1n) return 0n;
      return window < TWIN_SLACK ? TWIN_SLACK : window;
    },
    hasTwin(isProcess, row, device, window) {
      if (row[E.reportId] === '') return false;
      const time = row[E.time] as bigint;
      return (isProcess ? processTwin : networkTwin).get(device, time - window, time + window, row[E.identity]) !== undefined;
    },
    mixed(device, resolution) {
      const known = resolutions.get(device)?.all ?? [];
      return known.length > 1 || (known.length === 1 && known[0] !== resolution);
    },
    alignCreations(isProcess, row, device, window) {
      if (isProcess) row[P.createdAt] = knownCreation(device, row[P.pid], row[P.createdAt], window);
      row[E.initiatorCreatedAt] = knownCreation(device, row[E.initiatorPid], row[E.initiatorCreatedAt], window);
      row[E.parentCreatedAt] = knownCreation(device, row[E.parentPid], row[E.parentCreatedAt], window);
    },
    note(device, resolution) {
      if (remember(device, resolution)) insertResolution.run(device, resolution);
    },
  };
}
