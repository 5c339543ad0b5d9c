// Opening a store refuses what is not a Lineage store, and writes nothing to it: a log file or another program's
// SQLite database given as --db by mistake stays as it was.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, openStore } from '../../src/store';
import { useTempDirs } from '../helpers/temp-dir';

describe('openStore', () => {
  const tempDir = useTempDirs();

  it('refuses a file that is not SQLite, leaving its bytes and creating no column log', () => {
    const path = join(tempDir(), 'events.json');
    writeFileSync(path, '{"Timestamp":"2024-05-06T00:00:00Z"}\n'.repeat(200));
    const before = readFileSync(path);
    for (const readonly of [false, true]) {
      expect(() => openStore(path, { readonly }))
        .toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/is not a Lineage store \(not an SQLite database\)/) }));
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-columns`)).toBe(false);
  });

  it("refuses another program's SQLite database without adding a table or changing its journal", () => {
    const path = join(tempDir(), 'places.sqlite');
    const other = new Database(path);
    other.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org')");
    other.close();
    expect(() => openStore(path))
      .toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/another program \(it has a table "moz_places"/) }));
    const after = new Database(path, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['moz_places']);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(after.pragma('user_version', { simple: true })).toBe(0);
    after.close();
    expect(existsSync(`${path}-columns`)).toBe(false);
  });

  it('opens an empty file as a new store, and refuses a store from a newer Lineage', () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const db = openStore(empty);
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    db.pragma(`user_version = ${latest + 1}`);
    db.close();
    expect(() => openStore(empty)).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/newer than this Lineage/) }));
  });
});
