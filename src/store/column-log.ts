// Every source column of every event lives outside SQLite, in an append-only file beside the store
// (`<store>-columns`); an event row holds where its bytes are. The columns are most of a row's bytes and are read
// back one event at a time, so they go through no B-tree, no WAL and no checkpoint copy: ingest writes them once,
// sequentially. The store records the committed end of the file in the same transaction as the rows, so bytes a
// killed run appended past it belong to no row and are overwritten by the next write.
import { closeSync, constants, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writevSync } from 'node:fs';
import { InvalidInput, StoreDamaged } from '../domain';
import type { Store } from './open-store';
import { prepared } from './prepared';

/** A store's log: a file descriptor held as long as the connection (like SQLite's own), or memory for ':memory:'. */
type LogHandle =
  | { kind: 'file'; path: string; fd: number | null }
  | { kind: 'memory'; bytes: Buffer; size: number };

const handles = new WeakMap<Store, LogHandle>();

/** Where the column log of the store at `storePath` is. */
export function columnLogPath(storePath: string): string {
  return `${storePath}-columns`;
}

/** Opens the column log of `db` for the life of the connection; `db.close()` closes it too. Called by openStore. */
export function attachColumnLog(db: Store, readonly: boolean): void {
  if (db.memory) {
    handles.set(db, { kind: 'memory', bytes: Buffer.alloc(1 << 16), size: 0 });
    return;
  }
  const path = columnLogPath(db.name);
  let fd: number | null = null;
  try {
    fd = readonly ? openSync(path, 'r') : openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  } catch (error) {
    // A store read before anything was ingested has no log yet; reading a row's columns then says so.
    if (!readonly || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  handles.set(db, { kind: 'file', path, fd });
  const closeDatabase = db.close.bind(db);
  db.close = () => {
    if (fd !== null) closeSync(fd);
    handles.delete(db);
    return closeDatabase();
  };
}

function handleOf(db: Store): LogHandle {
  const handle = handles.get(db);
  if (!handle) throw new Error('store: column log not attached (open stores with openStore)');
  return handle;
}

/** The committed end of the log: bytes before it belong to stored rows. */
export function committedEnd(db: Store): number {
  return prepared(db, 'SELECT committed_end FROM column_log').pluck().get() as number;
}

function logSize(handle: LogHandle): number {
  if (handle.kind === 'memory') return handle.size;
  return handle.fd === null ? 0 : fstatSync(handle.fd).size;
}

/** Refuses a log shorter than the rows say it is (a deleted or truncated file): writing would leave a hole. */
export function checkColumnLog(db: Store): void {
  const handle = handleOf(db);
  const end = committedEnd(db);
  const size = logSize(handle);
  if (size < end) {
    throw new StoreDamaged(`store: the column log ${handle.kind === 'file' ? handle.path : ''} holds ${size} bytes but its rows `
      + `need ${end}; it was truncated or replaced (restore it with the store, or start a new store)`);
  }
}

/** Writes `parts` back to back at `at` (the committed end). Call inside the store's write transaction. */
export function writeColumnBytes(db: Store, parts: readonly Uint8Array[], at: number): void {
  const handle = handleOf(db);
  let length = 0;
  for (const part of parts) length += part.length;
  if (handle.kind === 'file') {
    if (handle.fd === null) throw new InvalidInput('store: opened read-only');
    let written = writevSync(handle.fd, parts as Uint8Array[], at);
    if (written === length) return;
    // A short write (rare: a signal, a full disk) goes on from where it stopped.
    const whole = Buffer.concat(parts);
    while (written < length) written += writevSync(handle.fd, [whole.subarray(written)], at + written);
    return;
  }
  if (handle.bytes.length < at + length) {
    const grown = Buffer.alloc(Math.max(handle.bytes.length * 2, at + length));
    handle.bytes.copy(grown, 0, 0, handle.size);
    handle.bytes = grown;
  }
  let position = at;
  for (const part of parts) position += Buffer.from(part.buffer, part.byteOffset, part.length).copy(handle.bytes, position);
  handle.size = Math.max(handle.size, position);
}

/** Drops bytes past `end` (left by a killed run) and makes the log durable. Call under the store's write lock. */
export function finishColumnLog(db: Store, end: number): void {
  const handle = handleOf(db);
  if (handle.kind === 'memory') {
    handle.size = Math.min(handle.size, end);
    return;
  }
  if (handle.fd === null) return;
  if (logSize(handle) > end) ftruncateSync(handle.fd, end);
  fdatasyncSync(handle.fd);
}

/** The `length` bytes of the log of `db` at `at`. */
export function readColumnBytes(db: Store, at: number, length: number): Buffer {
  const handle = handleOf(db);
  if (handle.kind === 'memory') {
    if (handle.size < at + length) throw new StoreDamaged('store: the in-memory column log ends before these bytes');
    return Buffer.from(handle.bytes.subarray(at, at + length));
  }
  if (handle.fd === null) throw new StoreDamaged(`store: the column log ${handle.path} is missing (it belongs beside the store and moves with it)`);
  const bytes = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = readSync(handle.fd, bytes, read, length - read, at + read);
    if (n === 0) throw new StoreDamaged(`store: the column log ${handle.path} ends before byte ${at + length}`);
    read += n;
  }
  return bytes;
}
