// A process that Sysmon recorded without its PID (some NXLog recordings lose it) shows the PID its Security 4688
// record of the same start has, as its graph node does (graph/reconcile-sources.ts).
import { withFields, type StoredProcessEvent } from '../domain';
import { readSameStart, type Store } from '../store';

/** `event`, with the PID one of `twins` (its start as the other source recorded it) gives it when it has none. */
export function withPidOfTwins(event: StoredProcessEvent, twins: readonly StoredProcessEvent[]): StoredProcessEvent {
  if (event.pid !== null || event.uniqueId === '') return event;
  const pid = twins.find((twin) => twin.pid !== null)?.pid ?? null;
  return pid === null ? event : withFields(event, { pid });
}

/** `event`, with the PID its 4688 twin gives it when it has none of its own (the twins read only then). */
export function withTwinPid(db: Store, event: StoredProcessEvent): StoredProcessEvent {
  return event.pid !== null || event.uniqueId === '' ? event : withPidOfTwins(event, readSameStart(db, event));
}
