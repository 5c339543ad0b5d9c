// One simulated Windows device: its process table (PIDs that are multiples of 4, freed on exit and reused), a
// per-device ReportId counter, and the DeviceProcessEvents / DeviceNetworkEvents rows it emits, every column filled
// the way Defender fills it (the process, its initiating process and that one's parent on each row).
import { formatTicks, type Ticks } from '../domain';
import type { Account } from './accounts';
import { SYSTEM } from './accounts';
import type { Binary } from './binaries';
import type { Rng } from './prng';
import type { MdeRow } from './row-writer';

export interface SimProcess {
  pid: number;
  createdAt: Ticks;
  image: Binary;
  commandLine: string;
  account: Account;
  parent: SimProcess | null;
  alive: boolean;
  /** formatTicks(createdAt), computed once. */
  createdText?: string;
}

export interface DeviceIdentity {
  deviceId: string;
  deviceName: string;
  ip: string;
}

/** A row with its exact time, for sorting before it is written. */
export interface TimedRow {
  ticks: Ticks;
  table: 'DeviceProcessEvents' | 'DeviceNetworkEvents';
  row: MdeRow;
}

export interface ConnectionSpec {
  actionType: string;
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  protocol?: string;
  remoteUrl?: string;
}

const SYSTEM_IMAGE: Binary = {
  fileName: 'System', folderPath: '', company: '', product: '', version: '', description: '', originalName: '',
  size: 0, sha1: '', sha256: '', md5: '', signer: 'OsVendor',
};

const MIN_PID = 100;
const MAX_PID = 16_380;

function ipType(ip: string): string {
  if (ip === '' || ip === '0.0.0.0' || ip === '::') return 'Unspecified';
  if (ip.startsWith('127.') || ip === '::1') return 'Loopback';
  if (ip.startsWith('10.') || ip.startsWith('192.168.') || /^172\.(1[6-9]|2\d|3[01])\./.test(ip)) return 'Private';
  return 'Public';
}

export class DeviceSim {
  readonly rows: TimedRow[] = [];
  readonly boots: Ticks[] = [];
  private readonly live = new Map<number, SimProcess>();
  /** The PIDs drawn from lie below this (allocatePid). */
  private maxPid = MAX_PID;
  private reportId: number;
  system: SimProcess;

  constructor(readonly identity: DeviceIdentity, private readonly rng: Rng) {
    this.reportId = rng.int(1000, 90000);
    this.system = this.makeSystem(0n);
  }

  private makeSystem(at: Ticks): SimProcess {
    return { pid: 4, createdAt: at, image: SYSTEM_IMAGE, commandLine: '', account: SYSTEM, parent: null, alive: true };
  }

  /** Forgets every process (a reboot); the System process starts again at `at`. */
  resetAt(at: Ticks): void {
    for (const process of this.live.values()) process.alive = false;
    this.live.clear();
    this.system = this.makeSystem(at);
    this.live.set(4, this.system);
  }

  /**
   * A free PID, multiple of 4; `wanted` when it is free (used to stage PID reuse). Drawn below MAX_PID while at most
   * half of those are live; a busier device draws from a range doubled as often as needed, as Windows hands out
   * higher PIDs when many processes live. So a draw takes two tries on average, and always ends.
   */
  allocatePid(wanted?: number): number {
    if (wanted !== undefined && !this.live.has(wanted)) return wanted;
    while (this.live.size * 2 >= (this.maxPid - MIN_PID) / 4) this.maxPid *= 2;
    for (;;) {
      const pid = this.rng.int(MIN_PID / 4, this.maxPid / 4) * 4;
      if (!this.live.has(pid)) return pid;
    }
  }

  /** A generator for one labelled purpose on this device (look-alike file hashes and the like). */
  rngFor(label: string): Rng {
    return this.rng.fork(label);
  }

  isLive(pid: number): boolean {
    return this.live.has(pid);
  }

  /**
   * Creates a process and emits its ProcessCreated row, reported at `reportedAt` (the event's Timestamp);
   * the creation time is up to 2 ms earlier, as in Defender's data.
   */
  spawn(parent: SimProcess, reportedAt: Ticks, image: Binary, commandLine: string, account: Account,
    options: { pid?: number; createdAt?: Ticks; fileName?: string; initiatingFileName?: string; silent?: boolean } = {}): SimProcess {
    const createdAt = options.createdAt ?? reportedAt - BigInt(this.rng.int(0, 20_000));
    const process: SimProcess = {
      pid: this.allocatePid(options.pid), createdAt, image: options.fileName ? { ...image, fileName: options.fileName } : image,
      commandLine, account, parent, alive: true, createdText: formatTicks(createdAt),
    };
    this.live.set(process.pid, process);
    if (options.silent) return process; // started before the simulated period: no row
    const i = this.initiating(parent, options.initiatingFileName);
    // One object literal (no spreads) per row: a fixed shape that JSON.stringify walks fast. The initiating-process
    // block repeats in connect() on purpose: building it by spreading a shared object was measurably slower.
    const row: MdeRow = {
      Timestamp: formatTicks(reportedAt), DeviceId: this.identity.deviceId, DeviceName: this.identity.deviceName,
      ActionType: 'ProcessCreated',
      FileName: process.image.fileName, FolderPath: image.folderPath, SHA1: image.sha1, SHA256: image.sha256, MD5: image.md5,
      FileSize: image.size,
      ProcessVersionInfoCompanyName: image.company, ProcessVersionInfoProductName: image.product,
      ProcessVersionInfoProductVersion: image.version, ProcessVersionInfoInternalFileName: image.originalName,
      ProcessVersionInfoOriginalFileName: image.originalName, ProcessVersionInfoFileDescription: image.description,
      ProcessId: process.pid, ProcessCommandLine: commandLine, ProcessIntegrityLevel: account.integrity,
      ProcessTokenElevation: account.elevation, ProcessCreationTime: process.createdText,
      AccountDomain: account.domain, AccountName: account.name, AccountSid: account.sid, AccountUpn: account.upn,
      AccountObjectId: account.objectId, LogonId: account.logonId,
      InitiatingProcessAccountDomain: i.account.domain, InitiatingProcessAccountName: i.account.name,
      InitiatingProcessAccountSid: i.account.sid, InitiatingProcessAccountUpn: i.account.upn,
      InitiatingProcessAccountObjectId: i.account.objectId, InitiatingProcessLogonId: i.account.logonId,
      InitiatingProcessIntegrityLevel: i.account.integrity, InitiatingProcessTokenElevation: i.account.elevation,
      InitiatingProcessSHA1: i.image.sha1, InitiatingProcessSHA256: i.image.sha256, InitiatingProcessMD5: i.image.md5,
      InitiatingProcessFileName: i.fileName, InitiatingProcessFileSize: i.image.size,
      InitiatingProcessVersionInfoCompanyName: i.image.company, InitiatingProcessVersionInfoProductName: i.image.product,
      InitiatingProcessVersionInfoProductVersion: i.image.version, InitiatingProcessVersionInfoInternalFileName: i.image.originalName,
      InitiatingProcessVersionInfoOriginalFileName: i.image.originalName, InitiatingProcessVersionInfoFileDescription: i.image.description,
      InitiatingProcessId: i.pid, InitiatingProcessCommandLine: i.commandLine, InitiatingProcessCreationTime: i.createdAt,
      InitiatingProcessFolderPath: i.folderPath, InitiatingProcessParentId: i.parentPid, InitiatingProcessParentFileName: i.parentFileName,
      InitiatingProcessParentCreationTime: i.parentCreatedAt, InitiatingProcessSignerType: i.image.signer,
      InitiatingProcessSignatureStatus: i.signature, InitiatingProcessSessionId: i.sessionId, IsInitiatingProcessRemoteSession: false,
      InitiatingProcessRemoteSessionDeviceName: '', InitiatingProcessRemoteSessionIP: '',
      ReportId: this.reportId++, AppGuardContainerId: '', AdditionalFields: '{}',
      CreatedProcessSessionId: account === SYSTEM ? 0 : 1, IsProcessRemoteSession: false,
      ProcessRemoteSessionDeviceName: '', ProcessRemoteSessionIP: '',
    };
    this.rows.push({ ticks: reportedAt, table: 'DeviceProcessEvents', row });
    return process;
  }

  /** Ends a process (Defender's process table has no exit event): its PID becomes free for reuse. */
  exit(process: SimProcess): void {
    if (!process.alive) return;
    process.alive = false;
    if (this.live.get(process.pid) === process) this.live.delete(process.pid);
  }

  /** Emits a DeviceNetworkEvents row for a connection owned by `owner`. */
  connect(owner: SimProcess, at: Ticks, spec: ConnectionSpec): void {
    const i = this.initiating(owner);
    const row: MdeRow = {
      Timestamp: formatTicks(at), DeviceId: this.identity.deviceId, DeviceName: this.identity.deviceName,
      ActionType: spec.actionType, RemoteIP: spec.remoteIp, RemotePort: spec.remotePort, RemoteUrl: spec.remoteUrl ?? '',
      LocalIP: spec.localIp, LocalPort: spec.localPort, Protocol: spec.protocol ?? 'Tcp',
      LocalIPType: ipType(spec.localIp), RemoteIPType: ipType(spec.remoteIp),
      InitiatingProcessAccountDomain: i.account.domain, InitiatingProcessAccountName: i.account.name,
      InitiatingProcessAccountSid: i.account.sid, InitiatingProcessAccountUpn: i.account.upn,
      InitiatingProcessAccountObjectId: i.account.objectId, InitiatingProcessLogonId: i.account.logonId,
      InitiatingProcessIntegrityLevel: i.account.integrity, InitiatingProcessTokenElevation: i.account.elevation,
      InitiatingProcessSHA1: i.image.sha1, InitiatingProcessSHA256: i.image.sha256, InitiatingProcessMD5: i.image.md5,
      InitiatingProcessFileName: i.fileName, InitiatingProcessFileSize: i.image.size,
      InitiatingProcessVersionInfoCompanyName: i.image.company, InitiatingProcessVersionInfoProductName: i.image.product,
      InitiatingProcessVersionInfoProductVersion: i.image.version, InitiatingProcessVersionInfoInternalFileName: i.image.originalName,
      InitiatingProcessVersionInfoOriginalFileName: i.image.originalName, InitiatingProcessVersionInfoFileDescription: i.image.description,
      InitiatingProcessId: i.pid, InitiatingProcessCommandLine: i.commandLine, InitiatingProcessCreationTime: i.createdAt,
      InitiatingProcessFolderPath: i.folderPath, InitiatingProcessParentId: i.parentPid, InitiatingProcessParentFileName: i.parentFileName,
      InitiatingProcessParentCreationTime: i.parentCreatedAt, InitiatingProcessSignerType: i.image.signer,
      InitiatingProcessSignatureStatus: i.signature, InitiatingProcessSessionId: i.sessionId, IsInitiatingProcessRemoteSession: false,
      InitiatingProcessRemoteSessionDeviceName: '', InitiatingProcessRemoteSessionIP: '',
      ReportId: this.reportId++, AppGuardContainerId: '', AdditionalFields: '{}',
    };
    this.rows.push({ ticks: at, table: 'DeviceNetworkEvents', row });
  }

  /** What a row says about its initiating process; the times' text is cached on the process. */
  private initiating(process: SimProcess, fileNameOverride?: string) {
    const parent = process.parent;
    process.createdText ??= formatTicks(process.createdAt);
    if (parent) parent.createdText ??= formatTicks(parent.createdAt);
    return {
      account: process.account, image: process.image, fileName: fileNameOverride ?? process.image.fileName, pid: process.pid,
      commandLine: process.commandLine, createdAt: process.createdText, folderPath: process.image.folderPath.toLowerCase(),
      parentPid: parent?.pid ?? 0, parentFileName: parent?.image.fileName ?? '', parentCreatedAt: parent ? parent.createdText ?? null : null,
      signature: process.image.signer === 'Unknown' ? 'Unsigned' : 'Valid', sessionId: process.account.logonId < 1000 ? 0 : 1,
    };
  }
}
