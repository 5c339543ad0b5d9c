// The alert Lineage's detection produces: one per activated COM server instance. Other tools and the UI rely on
// these key names (see README, "Alerts").
export interface AlertProcess {
  key: string;
  pid: number | null;
  fileName: string;
  folderPath: string;
  commandLine: string;
  createdAt: string | null;
  accountName: string;
}

export interface AlertConnection {
  key: string;
  eventId: number;
  time: string;
  actionType: string;
  localIp: string;
  localPort: number | null;
  remoteIp: string;
  remotePort: number | null;
  protocol: string;
}

export interface Alert {
  id: string;
  mode: 'lineage';
  rule: { id: string; name: string; severity: string; tactic: string; technique: string };
  deviceId: string;
  deviceName: string;
  /** The COM server's start: when the lateral movement ran. */
  time: string;
  connections: AlertConnection[];
  rpcssHost: AlertProcess;
  dcomLaunchHost: AlertProcess;
  comServer: AlertProcess;
  children: AlertProcess[];
  bootTime: string | null;
  /** Seconds from the first connection to the COM server's start. */
  gapSeconds: number;
  entities: Array<{ type: 'Host'; fullName: string } | { type: 'IP'; address: string } | { type: 'Process'; commandLine: string }>;
  evidence: { nodes: string[]; eventIds: number[] };
  /** What the alert rests on beyond the pattern as written (e.g. a host identified without its command line). */
  notes: string[];
}
