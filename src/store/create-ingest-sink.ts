// The store side of ingest: prepared statements, one transaction per batch, INSERT OR IGNORE on the event
// identity so that re-ingesting a file or an overlapping export adds nothing twice, also when the two exports wrote
// the event's time at different precisions (see hasTwin). The columns of the rows that were new go to the column log
// (column-log.ts) in the same transaction.
import { EVENT_ROW as E, NETWORK_ROW as N, PROCESS_KIND, PROCESS_ROW as P, TICKS_PER_SECOND, timeResolution, type BatchResult, type EventRow,
  type IngestBatch, type IngestSink, type RunStatus } from '../domain';
import { checkColumnLog, committedEnd, finishColumnLog, writeColumnBytes } from './column-log';
import type { Store } from './open-store';
import { isAlive } from './process-alive';

/** The time resolutions (ticks) a device has events at, and the coarsest of them. */
interface Resolutions {
  all: bigint[];
  coarsest: bigint;
}

/** An IngestSink writing into `db`. */
export function createIngestSink(db: Store): IngestSink {
  const insertProcess = db.prepare(`INSERT OR IGNORE INTO process_events (device, ts, ts_text, ident, device_name, action_type,
    report_id, pid, created, file_name, folder_path, cmdline, unique_id, account_name, init_pid, init_created,
    init_file_name, init_folder_path, init_cmdline, init_unique_id, init_account_name, parent_pid, parent_created,
    parent_file_name, source, line, columns_at, columns_length)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertNetwork = db.prepare(`INSERT OR IGNORE INTO network_events (device, ts, ts_text, ident, device_name, action_type,
    report_id, local_ip, local_port, remote_ip, remote_port, protocol, init_pid, init_created, init_file_name,
    init_folder_path, init_cmdline, init_unique_id, init_account_name, parent_pid, parent_created, parent_file_name,
    source, line, columns_at, columns_length)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const setLogEnd = db.prepare('UPDATE column_log SET committed_end = ?');
  const insertReject = db.prepare(
    'INSERT OR IGNORE INTO rejects (run, source, line, reason, raw) VALUES (?, ?, ?, ?, ?)');
  const insertDevice = db.prepare('INSERT INTO devices (device_id, device_name) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const selectDevice = db.prepare<[string], { id: number; device_name: string }>(
    'SELECT id, device_name FROM devices WHERE device_id = ?');
  const renameDevice = db.prepare('UPDATE devices SET device_name = ? WHERE id = ?');
  const upsertSource = db.prepare(`INSERT INTO sources (path, format, first_run, last_run) VALUES (?, ?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET format = excluded.format, last_run = excluded.last_run RETURNING id`);
  const insertRun = db.prepare(
    "INSERT INTO runs (started_at, status, pid, command) VALUES (?, 'running', ?, ?) RETURNING id");
  const updateRun = db.prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?');
  const staleRuns = db.prepare<[], { id: number; pid: number }>("SELECT id, pid FROM runs WHERE status = 'running'");
  const markInterrupted = db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?");

  /** The least window for twins: wider than a converter's error (python-evtx: 2 µs), narrow enough to read few rows. */
  const TWIN_SLACK = 10_000n; // 1 ms
  // A process's creation time as the store names it, by its own start or as an initiator: each one index seek,
  // stopping at the first entry in the range (a parent's thousands of children share its one value). Ticks as bigints.
  const startNear = db.prepare('SELECT created FROM process_events WHERE device = ? AND pid = ? AND created BETWEEN ? AND ? LIMIT 1')
    .pluck().safeIntegers();
  const initiatorNear = db.prepare(`SELECT init_created FROM process_events WHERE device = ? AND init_pid = ?
    AND init_created BETWEEN ? AND ? LIMIT 1`).pluck().safeIntegers();
  /** knownCreation's answers within the current batch: a CSV export names each parent in many rows. */
  const knownCreations = new Map<string, unknown>();
  const nearTwin = (table: string) => db.prepare(`SELECT 1 FROM ${table} WHERE device = ? AND ts BETWEEN ? AND ? AND ident = ? LIMIT 1`).pluck();
  const processTwin = nearTwin('process_events');
  const networkTwin = nearTwin('network_events');
  const selectResolutions = db.prepare<[], [number, number]>('SELECT device, resolution FROM time_resolutions').raw();
  const insertResolution = db.prepare('INSERT OR IGNORE INTO time_resolutions (device, resolution) VALUES (?, ?)');

  /** The time resolutions each device has events at (schema v15), as of `resolutionsVersion`. */
  const resolutions = new Map<number, Resolutions>();
  let resolutionsVersion = -1;
  function loadResolutions(): void {
    // Another connection's commit (a concurrent ingest) may have added some; this one's own never change data_version.
    const version = db.pragma('data_version', { simple: true }) as number;
    if (version === resolutionsVersion) return;
    resolutionsVersion = version;
    resolutions.clear();
    for (const [device, resolution] of selectResolutions.all()) noteResolution(device, BigInt(resolution), false);
  }
  function noteResolution(device: number, resolution: bigint, store: boolean): void {
    let known = resolutions.get(device);
    if (!known) resolutions.set(device, known = { all: [], coarsest: 1n });
    if (known.all.includes(resolution)) return;
    known.all.push(resolution);
    if (resolution > known.coarsest) known.coarsest = resolution;
    if (store) insertResolution.run(device, resolution);
  }

  /**
   * How far apart a row's times may be from the store's for the same thing, given the row's own time resolution: the
   * coarser of it and the device's coarsest stored one, at least TWIN_SLACK; 0 when both are 100 ns. A stream writes
   * its times to 100 ns, a portal CSV to the millisecond, a converter to the microsecond (the corpus's 2 µs off). So
   * the bulk of any feed (100 ns, devices never exported coarsely) costs a map lookup here and nothing below, and a
   * coarse one (Sysmon's millisecond UtcTime) a seek or two reading the index entries of a millisecond or two.
   */
  function precisionWindow(device: number, resolution: bigint): bigint {
    const stored = resolutions.get(device)?.coarsest ?? 1n;
    const window = resolution > stored ? resolution : stored;
    if (window <= 1n) return 0n;
    return window < TWIN_SLACK ? TWIN_SLACK : window;
  }

  /**
   * Whether the store holds this event already, written at another precision: an event with a ReportId or record
   * number matches one with the same identity within `window` either way. A content-hashed identity has the time text
   * in it and never matches here.
   */
  function hasTwin(isProcess: boolean, row: EventRow, device: number, window: bigint): boolean {
    if (row[E.reportId] === '') return false;
    const time = row[E.time] as bigint;
    return (isProcess ? processTwin : networkTwin).get(device, time - window, time + window, row[E.identity]) !== undefined;
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

  /** Whether the device has events at a resolution other than `resolution`. */
  function mixedResolutions(device: number, resolution: bigint): boolean {
    const known = resolutions.get(device)?.all ?? [];
    return known.length > 1 || (known.length === 1 && known[0] !== resolution);
  }

  /**
   * Maps the row's creation times (its process, its initiator, the initiator's parent) to the ones the store knows
   * (knownCreation). In place: the writer owns the row, and binds what it holds.
   */
  function alignCreations(isProcess: boolean, row: EventRow, device: number, window: bigint): void {
    if (isProcess) row[P.createdAt] = knownCreation(device, row[P.pid], row[P.createdAt], window);
    row[E.initiatorCreatedAt] = knownCreation(device, row[E.initiatorPid], row[E.initiatorCreatedAt], window);
    row[E.parentCreatedAt] = knownCreation(device, row[E.parentPid], row[E.parentCreatedAt], window);
  }

  /** The sources this sink opened that hold MDE rows (see alignCreations). */
  const mdeSources = new Set<number>();

  const devices = new Map<string, { id: number; name: string }>();
  function deviceRow(deviceId: string, deviceName: string): number {
    let device = devices.get(deviceId);
    if (!device) {
      insertDevice.run(deviceId, deviceName);
      const row = selectDevice.get(deviceId);
      if (!row) throw new Error(`store: device ${deviceId} vanished`);
      device = { id: row.id, name: row.device_name };
      devices.set(deviceId, device);
    }
    if (deviceName !== '' && deviceName !== device.name) {
      renameDevice.run(deviceName, device.id);
      device.name = deviceName;
    }
    return device.id;
  }

  // Rows are bound where they stand (domain/event-row.ts): the writer never rebuilds an event object.
  function writeProcess(r: EventRow, device: number, source: number, line: number, at: number, length: number): number {
    return insertProcess.run(device, r[E.time], r[E.timeText], r[E.identity], r[E.deviceName], r[E.actionType], r[E.reportId],
      r[P.pid], r[P.createdAt], r[P.fileName], r[P.folderPath], r[P.commandLine], r[P.uniqueId], r[P.accountName],
      r[E.initiatorPid], r[E.initiatorCreatedAt], r[E.initiatorFileName], r[E.initiatorFolderPath], r[E.initiatorCommandLine],
      r[E.initiatorUniqueId], r[E.initiatorAccountName], r[E.parentPid], r[E.parentCreatedAt], r[E.parentFileName],
      source, line, at, length).changes;
  }

  function writeNetwork(r: EventRow, device: number, source: number, line: number, at: number, length: number): number {
    return insertNetwork.run(device, r[E.time], r[E.timeText], r[E.identity], r[E.deviceName], r[E.actionType], r[E.reportId],
      r[N.localIp], r[N.localPort], r[N.remoteIp], r[N.remotePort], r[N.protocol], r[E.initiatorPid], r[E.initiatorCreatedAt],
      r[E.initiatorFileName], r[E.initiatorFolderPath], r[E.initiatorCommandLine], r[E.initiatorUniqueId],
      r[E.initiatorAccountName], r[E.parentPid], r[E.parentCreatedAt], r[E.parentFileName], source, line, at, length).changes;
  }

  const writeBatch = db.transaction((runId: number, sourceId: number, batch: IngestBatch): BatchResult => {
    const result: BatchResult = { inserted: { DeviceProcessEvents: 0, DeviceNetworkEvents: 0 }, duplicates: 0 };
    const { rows, lines, columnEnds } = batch;
    // A view, not a copy: the batch's buffer may have been transferred from a worker as a plain Uint8Array.
    const packed = Buffer.from(batch.columns.buffer, batch.columns.byteOffset, batch.columns.byteLength);
    const logStart = committedEnd(db);
    loadResolutions();
    knownCreations.clear();
    let logEnd = logStart;
    // The columns of new rows only, back to back: a duplicate's bytes are never written. Kept as runs of the packed
    // buffer ([from, to) pairs), one per stretch between duplicates: a batch without duplicates is one write of it all.
    const runs: number[] = [];
    let start = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as EventRow;
      const device = deviceRow(row[E.deviceId] as string, row[E.deviceName] as string);
      const line = lines[i] ?? 0;
      const end = columnEnds[i] ?? start;
      const length = end - start;
      const isProcess = row[E.kind] === PROCESS_KIND;
      const resolution = timeResolution(row[E.timeText] as string);
      const window = precisionWindow(device, resolution);
      let changes = 0;
      if (window === 0n || !hasTwin(isProcess, row, device, window)) {
        // MDE rows only (Windows sources name processes by ProcessGuid, or are joined in the graph: reconcile-sources),
        // on a device whose events come at two resolutions: within one export the times already agree.
        if (window !== 0n && mdeSources.has(sourceId) && mixedResolutions(device, resolution)) alignCreations(isProcess, row, device, window);
        changes = isProcess
          ? writeProcess(row, device, sourceId, line, logEnd, length)
          : writeNetwork(row, device, sourceId, line, logEnd, length);
      }
      if (changes > 0) noteResolution(device, resolution, true);
      if (changes > 0) {
        result.inserted[isProcess ? 'DeviceProcessEvents' : 'DeviceNetworkEvents']++;
        if (runs.length > 0 && runs[runs.length - 1] === start) runs[runs.length - 1] = end;
        else runs.push(start, end);
        logEnd += length;
      } else {
        result.duplicates++;
      }
      start = end;
    }
    if (logEnd > logStart) {
      const parts: Buffer[] = [];
      for (let r = 0; r < runs.length; r += 2) parts.push(packed.subarray(runs[r], runs[r + 1]));
      writeColumnBytes(db, parts, logStart);
      setLogEnd.run(logEnd);
    }
    for (const issue of batch.issues) insertReject.run(runId, sourceId, issue.line, issue.message, issue.raw);
    return result;
  });

  return {
    startRun(command, startedAt) {
      // Bulk writes skip fsync: SQLite keeps the store consistent across a killed or crashed process at this level;
      // only an OS crash or power loss mid-run can cost the run's last writes. finishRun syncs everything.
      db.pragma('synchronous = OFF');
      // A run still marked 'running' whose process is gone was killed: record that honestly.
      for (const run of staleRuns.all()) if (!isAlive(run.pid)) markInterrupted.run(run.id);
      checkColumnLog(db);
      return (insertRun.get(startedAt, process.pid, command) as { id: number }).id;
    },
    openSource(path, format, runId) {
      const id = (upsertSource.get(path, format, runId, runId) as { id: number }).id;
      if (format.startsWith('mde-')) mdeSources.add(id);
      return id;
    },
    writeBatch(runId, sourceId, batch) {
      try {
        return writeBatch.immediate(runId, sourceId, batch);
      } catch (error) {
        devices.clear(); // rows cached during the rolled-back transaction may not exist
        throw error;
      }
    },
    finishRun(runId: number, status: RunStatus, finishedAt: string, summary: unknown) {
      db.pragma('synchronous = NORMAL');
      updateRun.run(status, finishedAt, JSON.stringify(summary), runId);
      // Under the write lock, so no other writer is between appending and committing.
      db.transaction(() => finishColumnLog(db, committedEnd(db))).immediate();
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}
