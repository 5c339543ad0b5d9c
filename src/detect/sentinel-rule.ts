// The constants of the Sentinel analytic rule "DCOM Lateral Movement" (FalconForce FalconFriday), as written.

export const SENTINEL_RULE = {
  id: 'd58035ff-0bac-4c61-a7f4-f58939ff9764',
  name: 'DCOM Lateral Movement',
  version: '1.0.0',
  severity: 'Medium',
  tactic: 'LateralMovement',
  technique: 'T1021.003',
  allowListedExecs: ['TiWorker.exe', 'dllhost.exe', 'backgroundTaskHost.exe', 'mobsync.exe', 'WmiPrvSE.exe', 'RuntimeBroker.exe',
    'smartscreen.exe', 'SppExtComObj.Exe', 'usocoreworker.exe', 'browser_broker.exe', 'ssoncom.exe'],
  excludedChildren: ['csc.exe'],
} as const;

/** One result row of the rule, with exactly the query's output columns. */
export interface SentinelRow {
  TimestampNetwEventExact: string;
  TimestampProcEventExact: string;
  DeviceId: string;
  DeviceName: string;
  InitiatingProcessId: number;
  LocalIP: string;
  RemoteIP: string;
  LastBootTime: string;
  DCOMCmdLine: string;
  set_ProcessCommandLine: string[];
}

/** A row of a scheduled replay: the rule's row plus the window it came from. */
export interface ScheduledSentinelRow extends SentinelRow {
  windowStart: string;
  windowEnd: string;
}
