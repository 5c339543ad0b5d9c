// Reads a store back as plain rows (provenance columns left out), to compare stores built different ways.
import { readEventColumns, type Store } from '../../src/store';

// Where a row's columns sit in the column log depends on the order rows arrived in, like its id.
const PROVENANCE = new Set(['id', 'source', 'line', 'columns_at', 'columns_length']);

/** Every event row of both tables, decoded and ordered by identity, without ids and source positions. */
export function storedEvents(db: Store): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const table of ['process_events', 'network_events']) {
    const rows = db.prepare(`SELECT e.*, d.device_id AS device_key, d.device_name FROM ${table} e JOIN devices d ON d.id = e.device
      ORDER BY d.device_id, e.ts, e.ident`).safeIntegers().all() as Record<string, unknown>[];
    for (const row of rows) {
      const clean: Record<string, unknown> = { table };
      for (const [key, value] of Object.entries(row)) {
        if (PROVENANCE.has(key) || key === 'device') continue;
        clean[key] = value;
      }
      clean.columns = readEventColumns(db, table === 'process_events' ? 'DeviceProcessEvents' : 'DeviceNetworkEvents', Number(row.id));
      out.push(clean);
    }
  }
  return out;
}
