// Process search on one device by name or command line, PID and time range, newest first, cursor-paginated.
import { searchProcesses as readMatching, type ProcessSearch, type Store } from '../store';
import { decodeCursor, encodeCursor } from './cursor';
import { processSummary, type ProcessSummary } from './process-summary';
import { withTwinPid } from './twin-pid';

/** The store's process search, with an opaque cursor in place of its (time, id) position. */
export type ProcessQuery = Omit<ProcessSearch, 'before'> & { cursor?: string | null };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One page of matching processes. */
export function searchProcesses(db: Store, query: ProcessQuery): Page<ProcessSummary> {
  const rows = readMatching(db, { ...query, before: query.cursor ? decodeCursor(query.cursor) : null, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map((event) => processSummary(withTwinPid(db, event))), nextCursor: rows.length > query.limit && last ? encodeCursor(last.time, last.id) : null };
}
