// Reads a store back as plain rows (provenance columns left out), to compare stores built different ways.
import type { Store } from '../../src/store';

const PROVENANCE = new Set(['id', 'source', 'line']);

/** Every event row of both tables, decoded and ordered by identity, without ids and source positions. */
export function storedEvents(db: Store): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const table of ['process_events', 'network_events']) {
    const columns = table === 'process_events' ? 'process_columns' : 'network_columns';
    const rows = db.prepare(`SELECT e.*, c.columns, d.device_id AS device_key, d.device_name FROM ${table} e JOIN devices d ON d.id = e.device
      LEFT JOIN ${columns} c ON c.id = e.id ORDER BY d.device_id, e.ts, e.ident`).safeIntegers().all() as Record<string, unknown>[];
    for (const row of rows) {
      const clean: Record<string, unknown> = { table };
      for (const [key, value] of Object.entries(row)) {
        if (PROVENANCE.has(key) || key === 'device') continue;
        clean[key] = key === 'columns' ? Buffer.from(value as Uint8Array).toString('utf8') : value;
      }
      out.push(clean);
    }
  }
  return out;
}
