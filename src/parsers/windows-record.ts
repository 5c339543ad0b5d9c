// One Windows event, whatever JSON shape carried it (OTRF/NXLog, EVTX converted to JSON, winlogbeat/ECS), and its
// normalisation into the same events as MDE rows: Sysmon 1 and Security 4688 become process events, Sysmon 3 and
// Security 5156/5157 network events, Sysmon 5 and Security 4689 process events with the action ProcessTerminated
// (they end a process's life in the graph); other event ids are skipped, counted by name.
// Times: Sysmon's UtcTime; else the record's own time when it is UTC; else (collector-local, no zone) shifted by the
// collector's offset, learned from the Sysmon records of the same file (see CollectorClock).
import { eventIdentity, formatTicks, parseTime, PROCESS_TERMINATED, TICKS_PER_SECOND, type ParseIssue, type ParseOutcome } from '../domain';
import { integerOrNull } from './coerce-column';
import type { CollectorClock } from './collector-clock';

export type Fields = Record<string, unknown>;

export interface WindowsRecord {
  source: 'sysmon' | 'security' | null;
  /** The channel as logged (`Security`, `security`, `Microsoft-Windows-Sysmon/Operational`). */
  channel: string;
  eventId: number | null;
  /** The computer name as logged (FQDN or short). */
  host: string;
  /** The channel's record number, as text; '' when the shape has none. */
  recordId: string;
  /** EventData, by the Windows field names (Sysmon `ProcessGuid`, Security `NewProcessId` ...). */
  data: Fields;
  /** The record's own time (System/TimeCreated or the collector's time), as text. */
  time: string;
  /** 'utc', or 'collector': a zone-less local time of the collector. */
  timeZone: 'utc' | 'collector';
  /** Why the shape carried no readable EventData for this record (an export that dropped it): skipped, with this reason. */
  unreadable?: string;
}

const NO_INITIATOR = {
  initiatorPid: null, initiatorCreatedAt: null, initiatorFileName: '', initiatorFolderPath: '', initiatorCommandLine: '',
  initiatorUniqueId: '', initiatorAccountName: '', parentPid: null, parentCreatedAt: null, parentFileName: '',
} as const;

/** What the normaliser needs of the file being read. */
export interface WindowsContext {
  file: string;
  clock?: CollectorClock;
}

export const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/** Sysmon writes '?' and '<unknown process>' where it does not know. */
const known = (v: unknown): string => {
  const value = text(v).trim();
  return value === '?' || value === '-' || value === '<unknown process>' ? '' : value;
};
const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);

/** `v` when it is a JSON object, else an empty one. */
export const fieldsOf = (v: unknown): Fields => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : {});

/** Which log a channel or provider name is. */
export function sourceOfChannel(channel: string): WindowsRecord['source'] {
  const name = channel.toLowerCase();
  if (name.includes('sysmon')) return 'sysmon';
  if (name === 'security' || name === 'microsoft-windows-security-auditing') return 'security';
  return null;
}

/** Device identity: the short host name in lower case; the name as logged (FQDN when given). */
function device(host: string): { deviceId: string; deviceName: string } {
  const name = host.trim();
  return { deviceId: name.split('.')[0]?.toLowerCase() ?? '', deviceName: name };
}

interface Head {
  time: bigint;
  timeText: string;
  deviceId: string;
  deviceName: string;
  reportId: string;
}

function head(record: WindowsRecord, timeText: string, line: number, ctx: WindowsContext, raw: string): Head | { issue: ParseIssue } {
  const time = parseTime(timeText);
  if (!time) return { issue: { file: ctx.file, line, message: `not a time: ${JSON.stringify(timeText.slice(0, 40))}`, raw } };
  const { deviceId, deviceName } = device(record.host);
  if (deviceId === '') return { issue: { file: ctx.file, line, message: 'missing Computer / Hostname', raw } };
  const reportId = record.recordId === '' ? '' : `${record.channel}:${record.recordId}`;
  return { time: time.ticks, timeText, deviceId, deviceName, reportId };
}

/** The event ids normalised below, by source; every other record is skipped by name. */
const READ_EVENTS: Readonly<Record<string, readonly number[]>> = { sysmon: [1, 3, 5], security: [4688, 4689, 5156, 5157] };

function label(record: Pick<WindowsRecord, 'source' | 'channel' | 'eventId'>): string {
  const name = record.source === 'sysmon' ? 'Sysmon' : record.source === 'security' ? 'Security' : record.channel || 'Windows';
  return `${name} ${record.eventId ?? '?'}`;
}

/**
 * The reason a record of this source and event id is skipped, when normalizeWindowsRecord never reads such records
 * (null when it does): a shape whose fields cost something to pick out can skip them, with the same outcome.
 */
export function unreadRecordSkip(record: Pick<WindowsRecord, 'source' | 'channel' | 'eventId'>): string | null {
  return READ_EVENTS[record.source ?? '']?.includes(record.eventId ?? -1) ? null : label(record);
}

/** UTC text of a collector-local time, or 'defer' / 'unknown' while the collector's offset is not (yet) known. */
function collectorTimeAsUtc(local: string, ctx: WindowsContext): string | 'defer' | 'unknown' {
  const parsed = parseTime(local);
  const offset = ctx.clock?.offsetMinutes() ?? null;
  if (!parsed) return local; // reported as not a time by head()
  if (offset === null) return ctx.clock?.canLearnMore() ? 'defer' : 'unknown';
  const utc = formatTicks(parsed.ticks - BigInt(offset) * 60n * TICKS_PER_SECOND);
  // Keep the precision the collector wrote: whole seconds stay whole seconds (and read as such, see clockOf).
  return local.includes('.') ? utc : `${utc.slice(0, utc.indexOf('.'))}Z`;
}

/** Normalises one Windows event record; `raw` is its text as read (kept with the event). */
export function normalizeWindowsRecord(record: WindowsRecord, line: number, ctx: WindowsContext, raw: string): ParseOutcome[] {
  const { source, eventId, data } = record;
  // Most records are of kinds never read (logons, image loads): skipped by name before anything else is done.
  const unread = unreadRecordSkip(record);
  if (unread !== null) return [{ skipped: unread }];
  const name = label(record);
  if (record.unreadable !== undefined) return [{ skipped: `${name} (${record.unreadable})` }];
  const columnsText = raw.trimEnd();
  if (source === 'sysmon' && eventId === 5) {
    const h = head(record, text(data.UtcTime) || (record.timeZone === 'utc' ? record.time : ''), line, ctx, raw);
    if ('issue' in h) return [h];
    const image = known(data.Image);
    return [{ ok: { kind: 'process', table: 'DeviceProcessEvents', ...h, actionType: PROCESS_TERMINATED, identity: eventIdentity(h.reportId, name, columnsText),
      columnsText, pid: integerOrNull(data.ProcessId), createdAt: null, fileName: baseName(image), folderPath: image, commandLine: '',
      uniqueId: known(data.ProcessGuid), accountName: known(data.User), ...NO_INITIATOR } }];
  }
  if (source === 'sysmon' && (eventId === 1 || eventId === 3)) {
    const utcText = text(data.UtcTime) || (record.timeZone === 'utc' ? record.time : '');
    // Each Sysmon record carrying both times votes for the collector's offset, until it is settled.
    if (record.timeZone === 'collector' && ctx.clock?.canLearnMore() && data.UtcTime !== undefined) {
      const local = parseTime(record.time);
      const utc = parseTime(text(data.UtcTime));
      if (local && utc) ctx.clock.vote(local.ticks, utc.ticks);
    }
    const h = head(record, utcText, line, ctx, raw);
    if ('issue' in h) return [h];
    const owner = {
      initiatorPid: eventId === 1 ? integerOrNull(data.ParentProcessId) : integerOrNull(data.ProcessId),
      initiatorCreatedAt: null,
      initiatorFileName: baseName(known(eventId === 1 ? data.ParentImage : data.Image)),
      initiatorFolderPath: known(eventId === 1 ? data.ParentImage : data.Image),
      initiatorCommandLine: eventId === 1 ? known(data.ParentCommandLine) : '',
      initiatorUniqueId: known(eventId === 1 ? data.ParentProcessGuid : data.ProcessGuid),
      initiatorAccountName: eventId === 1 ? '' : known(data.User),
      parentPid: null, parentCreatedAt: null, parentFileName: '',
    };
    // Fields named, not `{ ...h, ... }`: see withFields for what that literal costs per record.
    const common = { time: h.time, timeText: h.timeText, deviceId: h.deviceId, deviceName: h.deviceName, reportId: h.reportId,
      actionType: '', identity: eventIdentity(h.reportId, name, columnsText), columnsText, ...owner };
    if (eventId === 1) {
      const image = known(data.Image);
      return [{ ok: { kind: 'process', table: 'DeviceProcessEvents', ...common, actionType: 'ProcessCreated',
        pid: integerOrNull(data.ProcessId), createdAt: h.time, fileName: baseName(image), folderPath: image, commandLine: known(data.CommandLine),
        uniqueId: known(data.ProcessGuid), accountName: known(data.User) } }];
    }
    // Sysmon 3: which end is this host's differs between Sysmon versions; decide by host name, else by the
    // listening (lower) port of an inbound connection.
    const initiated = text(data.Initiated).toLowerCase() === 'true';
    const src = { ip: known(data.SourceIp), port: integerOrNull(data.SourcePort), host: known(data.SourceHostname).toLowerCase() };
    const dst = { ip: known(data.DestinationIp), port: integerOrNull(data.DestinationPort), host: known(data.DestinationHostname).toLowerCase() };
    const me = h.deviceId;
    const sourceIsLocal = initiated ? true
      : src.host.split('.')[0] === me ? true : dst.host.split('.')[0] === me ? false : (src.port ?? 65536) < (dst.port ?? 65536);
    const [local, remote] = sourceIsLocal ? [src, dst] : [dst, src];
    return [{ ok: { kind: 'network', table: 'DeviceNetworkEvents', ...common, actionType: initiated ? 'ConnectionSuccess' : 'InboundConnectionAccepted',
      localIp: local.ip, localPort: local.port, remoteIp: remote.ip, remotePort: remote.port, protocol: known(data.Protocol) } }];
  }
  if (source === 'security' && (eventId === 4688 || eventId === 4689 || eventId === 5156 || eventId === 5157)) {
    let timeText = record.time;
    if (record.timeZone === 'collector') {
      const utc = collectorTimeAsUtc(record.time, ctx);
      if (utc === 'defer') return [{ defer: true }];
      if (utc === 'unknown') return [{ skipped: `${name} (collector-local time only)` }];
      timeText = utc;
    }
    const h = head(record, timeText, line, ctx, raw);
    if ('issue' in h) return [h];
    const identity = eventIdentity(h.reportId, name, columnsText);
    if (eventId === 4689) {
      const image = known(data.ProcessName);
      return [{ ok: { kind: 'process', table: 'DeviceProcessEvents', ...h, actionType: PROCESS_TERMINATED, identity, columnsText,
        pid: integerOrNull(data.ProcessId), createdAt: null, fileName: baseName(image), folderPath: image, commandLine: '', uniqueId: '',
        accountName: known(data.SubjectUserName), ...NO_INITIATOR } }];
    }
    if (eventId === 4688) {
      const image = known(data.NewProcessName);
      const parent = known(data.ParentProcessName);
      return [{ ok: { kind: 'process', table: 'DeviceProcessEvents', ...h, actionType: 'ProcessCreated', identity, columnsText,
        pid: integerOrNull(data.NewProcessId), createdAt: h.time, fileName: baseName(image), folderPath: image, commandLine: known(data.CommandLine),
        uniqueId: '', accountName: known(data.TargetUserName) || known(data.SubjectUserName),
        initiatorPid: integerOrNull(data.ProcessId), initiatorCreatedAt: null, initiatorFileName: baseName(parent), initiatorFolderPath: parent,
        initiatorCommandLine: '', initiatorUniqueId: '', initiatorAccountName: known(data.SubjectUserName), parentPid: null, parentCreatedAt: null, parentFileName: '' } }];
    }
    // WFP 5156 (allowed) / 5157 (blocked): Direction %%14592 (or 'Inbound') is inbound. Which end is local varies by collector:
    // for an inbound connection it is the listening (lower) port.
    // Some collectors render the direction as text ('Inbound') instead of the message id.
    const direction = text(data.Direction);
    const inbound = direction.includes('14592') || direction.toLowerCase() === 'inbound';
    const application = known(data.Application);
    const src = { ip: known(data.SourceAddress), port: integerOrNull(data.SourcePort) };
    const dst = { ip: known(data.DestAddress), port: integerOrNull(data.DestPort) };
    const [local, remote] = !inbound || (src.port ?? 65536) < (dst.port ?? 65536) ? [src, dst] : [dst, src];
    return [{ ok: { kind: 'network', table: 'DeviceNetworkEvents', ...h, identity, columnsText,
      actionType: eventId === 5157 ? 'ConnectionBlocked' : inbound ? 'InboundConnectionAccepted' : 'ConnectionSuccess',
      localIp: local.ip, localPort: local.port, remoteIp: remote.ip, remotePort: remote.port,
      protocol: text(data.Protocol) === '6' ? 'Tcp' : text(data.Protocol) === '17' ? 'Udp' : text(data.Protocol),
      initiatorPid: integerOrNull(data.ProcessID ?? data.ProcessId), initiatorCreatedAt: null, initiatorFileName: baseName(application),
      initiatorFolderPath: application, initiatorCommandLine: '', initiatorUniqueId: '', initiatorAccountName: '',
      parentPid: null, parentCreatedAt: null, parentFileName: '' } }];
  }
  return [{ skipped: name }]; // only an id READ_EVENTS lists with no branch above
}
