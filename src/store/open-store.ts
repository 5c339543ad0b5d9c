// Opens (creating if needed) a Lineage store: SQLite in WAL mode, migrated to the current schema.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInput } from '../domain';
import { attachColumnLog, columnLogPath } from './column-log';
import { MIGRATIONS } from './schema';

export type Store = Database.Database;

export interface OpenStoreOptions {
  readonly?: boolean;
}

/** Applies the migrations the store has not seen yet, each in its own transaction. */
function migrate(db: Store): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new InvalidInput(`store: schema version ${current} is newer than this Lineage (${latest}); upgrade Lineage`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.run?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/**
 * Refuses an SQLite database of some other program: its user_version is 0 (Lineage's first migration sets it) but it
 * already has tables. Migrating it would write Lineage's tables into someone else's file.
 */
function refuseForeignDatabase(db: Store, path: string): void {
  if ((db.pragma('user_version', { simple: true }) as number) !== 0) return;
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1").pluck().get() as string | undefined;
  if (table !== undefined) {
    throw new InvalidInput(`store: ${path} is an SQLite database of another program (it has a table ${JSON.stringify(table)} but no `
      + 'Lineage schema); check --db or $LINEAGE_DB');
  }
}

function configure(db: Store, path: string, options: OpenStoreOptions): void {
  db.pragma('busy_timeout = 10000');
  // Reads through the OS page cache instead of a read() call per page: halves detection time on large stores.
  db.pragma('mmap_size = 1073741824');
  refuseForeignDatabase(db, path);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    // Checkpoint every ~40 MB of WAL rather than every 4 MB: fewer, larger copies back into the database file.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('temp_store = MEMORY');
    attachColumnLog(db, false);
    migrate(db);
  } else {
    attachColumnLog(db, true);
  }
}

/**
 * Every file of the store at `path`: the database, SQLite's WAL, shared memory and rollback journal, and the column
 * log. An ingest of a folder that holds the store leaves them out.
 */
export function storeFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`, columnLogPath(path)];
}

/** Opens the store at `path` (':memory:' for a throwaway one). */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  let db: Store;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new InvalidInput(`store: cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    configure(db, path, options);
  } catch (error) {
    db.close();
    // A file that is not SQLite at all (a log passed as --db, say) is refused before anything is written to it.
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new InvalidInput(`store: ${path} is not a Lineage store (not an SQLite database); check --db or $LINEAGE_DB`);
    }
    throw error;
  }
  return db;
}
