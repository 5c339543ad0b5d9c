// A process's creation event by its key, whichever form the key has: device, PID and creation time, or the unique id
// its source keys it by (Sysmon's ProcessGuid, MDE's ProcessUniqueId: `device:u:id`); and a process's parent.
import { parseProcessKey, type StoredProcessEvent } from '../domain';
import { readProcessCreation, readProcessCreationByUniqueId, type Store } from '../store';

/** The creation event of the process `key` names, or null when the store has none (or `key` is no process key). */
export function findProcess(db: Store, key: string): StoredProcessEvent | null {
  const parts = parseProcessKey(key);
  if (!parts) return null;
  if (parts.uniqueId !== '') return readProcessCreationByUniqueId(db, parts.deviceId, parts.uniqueId);
  return parts.pid === null ? null : readProcessCreation(db, parts.deviceId, parts.pid, parts.createdAt);
}

/** The creation event of the process that started `process`: by its unique id when the source names one, else by PID and time. */
export function findParent(db: Store, process: StoredProcessEvent): StoredProcessEvent | null {
  if (process.initiatorUniqueId !== '') {
    const parent = readProcessCreationByUniqueId(db, process.deviceId, process.initiatorUniqueId);
    if (parent) return parent;
  }
  return process.initiatorPid === null ? null : readProcessCreation(db, process.deviceId, process.initiatorPid, process.initiatorCreatedAt);
}
