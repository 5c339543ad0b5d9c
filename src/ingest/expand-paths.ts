// Turns the paths a user names into the list of inputs to read: files as given, folders recursed (sorted, so runs
// are repeatable; hidden entries skipped, and the files of the store being written), '-' for stdin.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface InputFile {
  path: string;
  /** Named by the user (an error if unreadable) rather than found inside a folder (skipped if not a log). */
  explicit: boolean;
}

export interface ExpandedPaths {
  files: InputFile[];
  missing: string[];
}

function walk(dir: string, out: InputFile[], skip: ReadonlySet<string>): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out, skip);
    else if (entry.isFile() && !skip.has(resolve(full))) out.push({ path: full, explicit: false });
  }
}

/**
 * Files to read for `paths`, and the paths that do not exist. Files in `skip` (the store's own: `lineage ingest data`
 * with the store in data/) are left out of folder walks.
 */
export function expandPaths(paths: readonly string[], skip: readonly string[] = []): ExpandedPaths {
  const skipped = new Set(skip.map((path) => resolve(path)));
  const files: InputFile[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      files.push({ path, explicit: true });
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      missing.push(path);
      continue;
    }
    if (isDirectory) walk(path, files, skipped);
    else files.push({ path, explicit: true });
  }
  return { files, missing };
}
