// A process as the queries return it: its identity, where it came from, and its key for further queries.
import { formatTicks, processKey, type StoredProcessEvent } from '../domain';

export interface ProcessSummary {
  key: string;
  deviceId: string;
  deviceName: string;
  pid: number | null;
  createdAt: string | null;
  time: string;
  fileName: string;
  folderPath: string;
  commandLine: string;
  accountName: string;
  parentKey: string;
  parentFileName: string;
  parentCommandLine: string;
  eventId: number;
}

/** The summary of the process a creation event describes. */
export function processSummary(event: StoredProcessEvent): ProcessSummary {
  return {
    key: processKey({ deviceId: event.deviceId, pid: event.pid, createdAt: event.createdAt, uniqueId: event.uniqueId }),
    deviceId: event.deviceId, deviceName: event.deviceName, pid: event.pid,
    createdAt: event.createdAt === null ? null : formatTicks(event.createdAt), time: formatTicks(event.time),
    fileName: event.fileName, folderPath: event.folderPath, commandLine: event.commandLine, accountName: event.accountName,
    parentKey: processKey({ deviceId: event.deviceId, pid: event.initiatorPid, createdAt: event.initiatorCreatedAt, uniqueId: event.initiatorUniqueId }),
    parentFileName: event.initiatorFileName, parentCommandLine: event.initiatorCommandLine, eventId: event.id,
  };
}
