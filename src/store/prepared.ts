// Prepared statements cached per connection: the readers run the same few SQL texts thousands of times (one per
// candidate activation, per lineage step), and preparing each time cost more than running.
import type Database from 'better-sqlite3';
import type { Store } from './open-store';

const caches = new WeakMap<Store, Map<string, Database.Statement>>();

/** The prepared statement for `sql` on `db`, prepared once. */
export function prepared(db: Store, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, cache = new Map());
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, statement = db.prepare(sql));
  return statement;
}
