// The store's schema as an ordered list of migrations; PRAGMA user_version records how many were applied.
// Which query each index serves is documented in README.md ("The store").
import { timeResolution } from '../domain';
import { finishColumnLog, writeColumnBytes } from './column-log';
import type { Store } from './open-store';

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** A data step run after `sql`, in the same transaction. */
  run?: (db: Store) => void;
}

/** Moves the column blobs of `table` into the log from `at` on; returns the new end. Pages by id, a few MB at a time. */
function moveColumnsToLog(db: Store, table: 'process' | 'network', at: number): number {
  const page = db.prepare(`SELECT id, columns FROM ${table}_columns WHERE id > ? ORDER BY id LIMIT 4096`).raw();
  const place = db.prepare(`UPDATE ${table}_events SET columns_at = ?, columns_length = ? WHERE id = ?`);
  let end = at;
  for (let after = 0; ;) {
    const rows = page.all(after) as Array<[number, Uint8Array]>;
    if (rows.length === 0) return end;
    const start = end;
    for (const [id, columns] of rows) {
      place.run(end, columns.length, id);
      end += columns.length;
    }
    writeColumnBytes(db, rows.map((row) => row[1]), start);
    after = rows[rows.length - 1]![0];
  }
}

const PROCESS_COLUMNS = `
  pid INTEGER, created INTEGER,
  file_name TEXT NOT NULL, folder_path TEXT NOT NULL, cmdline TEXT NOT NULL, unique_id TEXT NOT NULL,
  account_name TEXT NOT NULL,`;

const INITIATOR_COLUMNS = `
  init_pid INTEGER, init_created INTEGER,
  init_file_name TEXT NOT NULL, init_folder_path TEXT NOT NULL, init_cmdline TEXT NOT NULL,
  init_unique_id TEXT NOT NULL, init_account_name TEXT NOT NULL,
  parent_pid INTEGER, parent_created INTEGER, parent_file_name TEXT NOT NULL,`;

const EVENT_HEAD = `
  id INTEGER PRIMARY KEY,
  device INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  ts_text TEXT NOT NULL,
  ident INTEGER NOT NULL,
  device_name TEXT NOT NULL,
  action_type TEXT NOT NULL,
  report_id TEXT NOT NULL,`;

const EVENT_TAIL = `
  source INTEGER NOT NULL,
  line INTEGER NOT NULL,
  columns BLOB NOT NULL`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'devices, sources, runs, rejects, process and network events',
    sql: `
      CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL UNIQUE,
        device_name TEXT NOT NULL DEFAULT ''
      );
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        pid INTEGER NOT NULL,
        command TEXT NOT NULL,
        summary TEXT
      );
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        format TEXT NOT NULL,
        first_run INTEGER NOT NULL,
        last_run INTEGER NOT NULL
      );
      CREATE TABLE rejects (
        id INTEGER PRIMARY KEY,
        run INTEGER NOT NULL,
        source INTEGER NOT NULL,
        line INTEGER NOT NULL,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL,
        UNIQUE (source, line, reason)
      );
      CREATE TABLE process_events (${EVENT_HEAD}${PROCESS_COLUMNS}${INITIATOR_COLUMNS}${EVENT_TAIL});
      CREATE UNIQUE INDEX process_events_identity ON process_events (device, ts, ident);
      CREATE INDEX process_events_process ON process_events (device, pid, created);
      CREATE INDEX process_events_initiator ON process_events (device, init_pid, init_created);
      CREATE TABLE network_events (${EVENT_HEAD}
        local_ip TEXT NOT NULL, local_port INTEGER, remote_ip TEXT NOT NULL, remote_port INTEGER,
        protocol TEXT NOT NULL,${INITIATOR_COLUMNS}${EVENT_TAIL});
      CREATE UNIQUE INDEX network_events_identity ON network_events (device, ts, ident);
    `,
  },
  {
    version: 2,
    description: 'partial indexes for the DCOM rule: port-135 connections, svchost-started processes, services.exe starts',
    sql: `
      CREATE INDEX network_events_port135 ON network_events (device, ts) WHERE local_port = 135;
      CREATE INDEX process_events_by_svchost ON process_events (device, ts) WHERE init_file_name = 'svchost.exe' COLLATE NOCASE;
      CREATE INDEX process_events_boots ON process_events (device, ts) WHERE file_name = 'services.exe' COLLATE NOCASE;
    `,
  },
  {
    version: 3,
    description: 'narrower, covering partial indexes for the DCOM rule: only rpcss-owned port-135 rows and dcomlaunch starts (the pair join reads no table row)',
    sql: `
      DROP INDEX network_events_port135;
      CREATE INDEX network_events_rpc135 ON network_events (device, ts, ident, local_port, init_cmdline) WHERE local_port = 135 AND init_cmdline LIKE '%rpcss%';
      DROP INDEX process_events_by_svchost;
      CREATE INDEX process_events_dcomlaunch ON process_events (device, ts, ident, file_name, folder_path, cmdline, init_file_name, init_cmdline)
        WHERE init_file_name = 'svchost.exe' COLLATE NOCASE AND init_cmdline LIKE '%dcomlaunch%';
    `,
  },
  {
    version: 4,
    description: 'port-135 connections whose owner command line is unknown (Windows Filtering Platform, Sysmon) are RPCSS candidates too',
    sql: `
      DROP INDEX network_events_rpc135;
      CREATE INDEX network_events_rpc135 ON network_events (device, ts, ident, local_port, init_cmdline)
        WHERE local_port = 135 AND (init_cmdline LIKE '%rpcss%' OR init_cmdline = '');
    `,
  },
  {
    version: 5,
    description: 'process-end records (Sysmon 5, Security 4689) are kept with the process events: a services.exe ending is no boot',
    sql: `
      DROP INDEX process_events_boots;
      CREATE INDEX process_events_boots ON process_events (device, ts) WHERE file_name = 'services.exe' COLLATE NOCASE AND action_type <> 'ProcessTerminated';
    `,
  },
  {
    version: 6,
    description: 'the chain-relevant rows by row id, so an incremental refresh finds what was appended without reading the rest',
    sql: `
      CREATE INDEX network_events_new_rpc135 ON network_events (id, device, ts)
        WHERE local_port = 135 AND (init_cmdline LIKE '%rpcss%' OR init_cmdline = '');
      CREATE INDEX process_events_new_dcomlaunch ON process_events (id, device, ts)
        WHERE init_file_name = 'svchost.exe' COLLATE NOCASE AND init_cmdline LIKE '%dcomlaunch%';
      CREATE INDEX process_events_new_child ON process_events (id, device, init_created, ts) WHERE parent_file_name = 'svchost.exe' COLLATE NOCASE;
      CREATE INDEX process_events_new_boot ON process_events (id, device, ts)
        WHERE file_name = 'services.exe' COLLATE NOCASE AND action_type <> 'ProcessTerminated';
    `,
  },
  {
    version: 7,
    description: 'every column of the source row in a table of its own, keyed by the event id: event rows shrink from '
      + 'about 2.8 KB to 300 B, so a graph slice or an index walk reads a page per 10-20 events instead of one per event',
    sql: `
      CREATE TABLE process_columns (id INTEGER PRIMARY KEY, columns BLOB NOT NULL);
      CREATE TABLE network_columns (id INTEGER PRIMARY KEY, columns BLOB NOT NULL);
      INSERT INTO process_columns (id, columns) SELECT id, columns FROM process_events;
      INSERT INTO network_columns (id, columns) SELECT id, columns FROM network_events;
      ALTER TABLE process_events DROP COLUMN columns;
      ALTER TABLE network_events DROP COLUMN columns;
    `,
  },
  {
    version: 8,
    description: 'a slimmer DcomLaunch-start index for the pair join: the allow-list is checked on the path and name in the '
      + 'index, and only the pairs that pass read their row (the command line); a third of the pages to walk',
    sql: `
      DROP INDEX process_events_dcomlaunch;
      CREATE INDEX process_events_dcomlaunch ON process_events (device, ts, ident, folder_path, file_name)
        WHERE init_file_name = 'svchost.exe' COLLATE NOCASE AND init_cmdline LIKE '%dcomlaunch%';
    `,
  },
  {
    version: 9,
    description: 'processes started by an svchost.exe whose command line the source does not carry (Security 4688) are '
      + 'DcomLaunch candidates too: the graph may know the launcher from its own creation event',
    sql: `
      DROP INDEX process_events_dcomlaunch;
      CREATE INDEX process_events_dcomlaunch ON process_events (device, ts, ident, folder_path, file_name)
        WHERE init_file_name = 'svchost.exe' COLLATE NOCASE AND (init_cmdline LIKE '%dcomlaunch%' OR init_cmdline = '');
      DROP INDEX process_events_new_dcomlaunch;
      CREATE INDEX process_events_new_dcomlaunch ON process_events (id, device, ts)
        WHERE init_file_name = 'svchost.exe' COLLATE NOCASE AND (init_cmdline LIKE '%dcomlaunch%' OR init_cmdline = '');
    `,
  },
  {
    version: 10,
    description: 'the source columns move out of SQLite into an append-only column log beside the store; each event row '
      + 'holds where its bytes are. Ingest writes them once, sequentially, instead of twice through the WAL and a B-tree',
    sql: `
      CREATE TABLE column_log (id INTEGER PRIMARY KEY CHECK (id = 1), committed_end INTEGER NOT NULL);
      INSERT INTO column_log (id, committed_end) VALUES (1, 0);
      ALTER TABLE process_events ADD COLUMN columns_at INTEGER;
      ALTER TABLE process_events ADD COLUMN columns_length INTEGER;
      ALTER TABLE network_events ADD COLUMN columns_at INTEGER;
      ALTER TABLE network_events ADD COLUMN columns_length INTEGER;
    `,
    run(db) {
      const end = moveColumnsToLog(db, 'network', moveColumnsToLog(db, 'process', 0));
      db.prepare('UPDATE column_log SET committed_end = ?').run(end);
      db.exec('DROP TABLE process_columns; DROP TABLE network_columns;');
      finishColumnLog(db, end);
    },
  },
  {
    version: 11,
    description: 'DcomLaunch starts by lower-case file name, and by lower-case path, name and command line: over a whole store '
      + 'the pair join starts from the few starts the allow-list lets through, reading index ranges that skip the allow-listed '
      + 'names or paths, and judges each distinct (path, name, command line) once',
    sql: `
      CREATE INDEX process_events_dcomlaunch_by_name ON process_events (lower(file_name), device, ts, ident)
        WHERE init_file_name = 'svchost.exe' COLLATE NOCASE AND (init_cmdline LIKE '%dcomlaunch%' OR init_cmdline = '');
      CREATE INDEX process_events_dcomlaunch_by_path ON process_events (lower(folder_path), lower(file_name), cmdline, device, ts, ident, file_name, folder_path)
        WHERE init_file_name = 'svchost.exe' COLLATE NOCASE AND (init_cmdline LIKE '%dcomlaunch%' OR init_cmdline = '');
    `,
  },
  {
    version: 12,
    description: 'the incremental refresh finds new COM servers among the starts the allow-list lets through, not among '
      + 'all new DcomLaunch starts: their by-row-id index serves no query and only costs every insert',
    sql: `
      DROP INDEX process_events_new_dcomlaunch;
    `,
  },
  {
    version: 13,
    description: 'processes by the unique id their source keys them by (Sysmon\'s ProcessGuid, MDE\'s ProcessUniqueId): a process '
      + 'whose key is `device:u:id` is found with one seek. Partial: rows without such an id cost inserts nothing',
    sql: `
      CREATE INDEX process_events_unique ON process_events (device, unique_id) WHERE unique_id <> '';
    `,
  },
  {
    version: 14,
    description: 'the connections a process owned, in time order: one seek instead of a scan of every connection on its '
      + 'device since the process started (0.35 against 0.02 ms for a short-lived owner on the fleet, and growing with the '
      + 'device\'s history). It costs about 1 µs per connection inserted',
    sql: `
      CREATE INDEX network_events_initiator ON network_events (device, init_pid, init_created, ts, ident);
    `,
  },
  {
    version: 15,
    description: 'the time resolutions each device has events at (100 ns, a portal CSV\'s milliseconds, a converter\'s '
      + 'microseconds): an event exported at two precisions is one event, and the writer looks for its twin, and maps a '
      + 'process\'s creation time to the one stored, only on devices listed here with a coarse or a second resolution',
    sql: `
      CREATE TABLE time_resolutions (device INTEGER NOT NULL, resolution INTEGER NOT NULL, PRIMARY KEY (device, resolution)) WITHOUT ROWID;
    `,
    run(db) {
      // Read every row's time text once (a connection cannot write while it iterates), then write the few pairs found.
      const found = new Set<string>();
      for (const table of ['process_events', 'network_events']) {
        for (const [device, text] of db.prepare(`SELECT device, ts_text FROM ${table}`).raw().iterate() as Iterable<[number, string]>) {
          found.add(`${device} ${timeResolution(text) ?? 1n}`);
        }
      }
      const add = db.prepare('INSERT INTO time_resolutions (device, resolution) VALUES (?, ?)');
      for (const pair of found) add.run(...pair.split(' ').map(Number));
    },
  },
  {
    version: 16,
    description: 'the children of a process in time order: the initiator index carries the time, so a page of children is a '
      + 'seek and a short walk, and a count reads the index alone (explorer.exe with 32k children: 235 ms for its details, '
      + 'which read and sorted every child, against about 1 ms)',
    sql: `
      DROP INDEX process_events_initiator;
      CREATE INDEX process_events_initiator ON process_events (device, init_pid, init_created, ts, ident);
    `,
  },
];
