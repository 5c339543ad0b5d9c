// truth.json: every planted attack and near miss, with what each detection mode is expected to return.

export interface TruthProcess {
  pid: number;
  fileName: string;
  commandLine: string;
  createdAt: string;
}

export interface TruthItem {
  id: string;
  kind: string;
  description: string;
  malicious: boolean;
  deviceId: string;
  deviceName: string;
  remoteIp: string | null;
  connectionTime: string | null;
  activationTime: string | null;
  rpcssHostPid: number | null;
  dcomLaunchHostPid: number | null;
  comServer: TruthProcess | null;
  children: TruthProcess[];
  expected: {
    /** The Sentinel rule as written, run once over all the simulated data. */
    sentinel: boolean;
    /** The Sentinel rule as scheduled: hourly back-to-back windows aligned to the hour. */
    sentinelHourly: boolean;
    /** Lineage's improved detection (default settings). */
    lineage: boolean;
  };
  /** Command lines the rule's PID-only join attaches (including unrelated children after PID reuse). */
  sentinelChildCommandLines: string[];
}

export interface Truth {
  generator: string;
  seed: number;
  start: string;
  end: string;
  devices: Array<{ deviceId: string; deviceName: string; ip: string; role: string; boots: string[] }>;
  items: TruthItem[];
}
