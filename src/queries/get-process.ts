// One process with every field of its creation event and the raw events behind it.
import { NotFound, type StoredEvent } from '../domain';
import { decodeColumns } from '../parsers';
import { readConnectionsOf, readEventColumns, readSameStart, readSpawnedBy, type Store } from '../store';
import { findProcess } from './find-process';
import { processSummary, type ProcessSummary } from './process-summary';
import { withPidOfTwins } from './twin-pid';

export interface RawEvent {
  table: 'DeviceProcessEvents' | 'DeviceNetworkEvents';
  eventId: number;
  /**
   * How the event relates to the process: its creation, its start as another source recorded it (Security 4688 for
   * a Sysmon-keyed process, and the other way round), a child it started, a connection it owned.
   */
  relation: 'created' | 'same-start' | 'started-child' | 'connection';
  /** Every column of the source row. */
  columns: Record<string, unknown>;
}

export interface ProcessDetail extends ProcessSummary {
  events: RawEvent[];
  /** More events exist than `events` shows. */
  truncated: boolean;
}

const MAX_EVENTS = 200;

function raw(db: Store, event: StoredEvent, relation: RawEvent['relation']): RawEvent {
  const text = readEventColumns(db, event.table, event.id);
  return { table: event.table, eventId: event.id, relation, columns: text ? decodeColumns(event.table, text) : {} };
}

/** The process `key`; NotFound when the store has no creation event for it. */
export function getProcess(db: Store, key: string): ProcessDetail {
  const found = findProcess(db, key);
  if (!found) throw new NotFound(`process: no process ${key}`, { parameter: 'key' });
  const sameStart = readSameStart(db, found);
  const created = withPidOfTwins(found, sameStart);
  const { deviceId, pid, createdAt, uniqueId } = created;
  // One more than shown, to tell whether there are more (explorer.exe can have tens of thousands of children).
  const children = pid === null ? [] : readSpawnedBy(db, deviceId, pid, createdAt, null, null, uniqueId, MAX_EVENTS + 1);
  const connections = pid === null ? { events: [], truncated: false } : readConnectionsOf(db, deviceId, pid, createdAt, MAX_EVENTS, uniqueId);
  const events = [raw(db, created, 'created'), ...sameStart.map((e) => raw(db, e, 'same-start')),
    ...children.slice(0, MAX_EVENTS).map((e) => raw(db, e, 'started-child')),
    ...connections.events.slice(0, MAX_EVENTS).map((e) => raw(db, e, 'connection'))];
  return { ...processSummary(created), events, truncated: children.length > MAX_EVENTS || connections.truncated };
}
