// The store side of ingest: prepared statements, one transaction per batch, INSERT OR IGNORE on the event
// identity so that re-ingesting a file or an overlapping export adds nothing twice, also when the two exports wrote
// the event's time at different precisions (time-precision.ts). The columns of the rows that were new go to the
// column log (column-log.ts) in the same transaction.
import { EVENT_ROW as E, NETWORK_ROW as N, PROCESS_KIND, PROCESS_ROW as P, timeResolution, type BatchResult, type EventRow,
  type IngestBatch, type IngestSink, type RunStatus } from '../domain';
import { checkColumnLog, committedEnd, finishColumnLog, writeColumnBytes } from './column-log';
import type { Store } from './open-store';
import { isAlive } from './process-alive';
import { createTimePrecision } from './time-precision';

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

  const precision = createTimePrecision(db);
  /** The sources this sink opened that hold MDE rows (see TimePrecision.alignCreations). */
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
    precision.startBatch();
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
      const resolution = timeResolution(row[E.timeText] as string) ?? 1n; // the parser read it: never null here
      const window = precision.window(device, resolution);
      let changes = 0;
      if (window === 0n || !precision.hasTwin(isProcess, row, device, window)) {
        // MDE rows only (Windows sources name processes by ProcessGuid, or are joined in the graph: reconcile-sources),
        // on a device whose events come at two resolutions: within one export the times already agree.
        if (window !== 0n && mdeSources.has(sourceId) && precision.mixed(device, resolution)) precision.alignCreations(isProcess, row, device, window);
        changes = isProcess
          ? writeProcess(row, device, sourceId, line, logEnd, length)
          : writeNetwork(row, device, sourceId, line, logEnd, length);
      }
      if (changes > 0) {
        precision.note(device, resolution);
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
