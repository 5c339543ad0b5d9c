// Turns the paths a user names into the list of inputs to read: files as given, folders recursed (sorted, so runs
// are repeatable; hidden entries skipped, and the files of the store being written), '-' for stdin. Links inside a
// folder are followed, to files and to folders, each folder walked once however many links reach it; a link that
// leads nowhere is reported, never silently dropped.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';

export interface InputFile {
  path: string;
  /** Named by the user (an error if unreadable) rather than found inside a folder (skipped if not a log). */
  explicit: boolean;
}

export interface UnreadablePath {
  path: string;
  /** Why, in words: "a broken link", "a link loop", "cannot read the folder (EACCES)". */
  reason: string;
}

export interface ExpandedPaths {
  files: InputFile[];
  /** Paths the user named that do not exist. */
  missing: string[];
  /** Entries that could not be followed or read: broken links, link loops, folders that cannot be listed. */
  unreadable: UnreadablePath[];
  /** Folders the user named that hold no file to read (after hidden entries and the store's own files). */
  empty: string[];
}

function errorReason(error: unknown, link: boolean): string {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown error';
  if (link && code === 'ENOENT') return 'a broken link (its target does not exist)';
  if (code === 'ELOOP') return 'a link loop';
  return `cannot read it (${code})`;
}

interface Walk {
  out: InputFile[];
  unreadable: UnreadablePath[];
  skip: ReadonlySet<string>;
  /** Real paths of the folders and files already taken: a link back up, or two links to one place, read once. */
  seen: Set<string>;
}

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Walks `dir`, whose real path is `realDir`. */
function walk(dir: string, realDir: string, state: Walk): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort(byName);
  } catch (error) {
    state.unreadable.push({ path: dir, reason: `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` });
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    // An entry that is no link is where its folder really is: resolving it would cost a system call per component
    // of its path (23,000 of them for a tree of 1,919 blobs).
    let real = join(realDir, entry.name);
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
        real = realpathSync(full);
      } catch (error) {
        state.unreadable.push({ path: full, reason: errorReason(error, true) });
        continue;
      }
    }
    if (!isDirectory && !isFile) continue; // sockets, FIFOs, devices: not logs
    if (state.seen.has(real) || state.skip.has(real)) continue;
    state.seen.add(real);
    if (isDirectory) walk(full, real, state);
    else state.out.push({ path: full, explicit: false });
  }
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Files to read for `paths`, the paths that do not exist, the entries that cannot be read, and the named folders that
 * hold nothing. Files in `skip` (the store's own: `lineage ingest data` with the store in data/) are left out of
 * folder walks.
 */
export function expandPaths(paths: readonly string[], skip: readonly string[] = []): ExpandedPaths {
  const expanded: ExpandedPaths = { files: [], missing: [], unreadable: [], empty: [] };
  const state: Walk = { out: expanded.files, unreadable: expanded.unreadable, skip: new Set(skip.map(realOrResolved)), seen: new Set() };
  for (const path of paths) {
    if (path === '-') {
      expanded.files.push({ path, explicit: true });
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') expanded.missing.push(path);
      else expanded.unreadable.push({ path, reason: errorReason(error, false) });
      continue;
    }
    if (!isDirectory) {
      expanded.files.push({ path, explicit: true });
      continue;
    }
    const real = realOrResolved(path);
    if (state.seen.has(real)) continue; // named twice, or inside a folder already named
    state.seen.add(real);
    const before = expanded.files.length;
    const problems = expanded.unreadable.length;
    walk(path, real, state);
    if (expanded.files.length === before && expanded.unreadable.length === problems) expanded.empty.push(path);
  }
  return expanded;
}
