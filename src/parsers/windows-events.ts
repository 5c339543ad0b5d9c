// Parser for Windows event logs as JSON lines: Sysmon and Security events, either flat (NXLog / OTRF Security-Datasets)
// or with an `EventData` object (EVTX converted to JSON). Sysmon 1 and Security 4688 become process events, Sysmon 3
// and Security 5156/5157 network events, in the same normalised shape as MDE rows; other event ids are skipped.
// Times: Sysmon's UtcTime; an EVTX record's TimeCreated (UTC); otherwise the collector's local time (NXLog EventTime,
// or OTRF's TimeCreated that says Z but is local) shifted by the collector's offset, which learnCollectorOffset finds
// from Sysmon records carrying both. With no offset known such records are skipped, named so in the summary.
import { eventIdentity, formatTicks, parseTime, type ParseIssue, type ParseOutcome } from '../domain';
import { parseJsonLine, type ParserContext } from './parse-mde-row-object';

type Fields = Record<string, unknown>;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/** Sysmon writes '?' and '<unknown process>' where it does not know. */
const known = (v: unknown): string => {
  const value = text(v).trim();
  return value === '?' || value === '-' || value === '<unknown process>' ? '' : value;
};
const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);

function integer(v: unknown): number | null {
  const value = text(v).trim();
  if (value === '') return null;
  const n = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value.slice(2), 16) : Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** Device identity: the short host name in lower case; the name as logged (FQDN when given). */
function device(host: string): { deviceId: string; deviceName: string } {
  const name = host.trim();
  return { deviceId: name.split('.')[0]?.toLowerCase() ?? '', deviceName: name };
}

function sourceOf(record: Fields): 'sysmon' | 'security' | null {
  const channel = text(record.Channel ?? record.SourceName ?? record.ProviderName).toLowerCase();
  if (channel.includes('sysmon')) return 'sysmon';
  if (channel === 'security' || channel === 'microsoft-windows-security-auditing') return 'security';
  return null;
}

const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * The collector's local-time offset in minutes, learned from records that carry both Sysmon's UtcTime and the
 * collector's local time (EventTime, or TimeCreated in the flat OTRF shapes), rounded to a quarter hour; null if none.
 */
export function learnCollectorOffset(records: ReadonlyArray<Record<string, unknown>>): number | null {
  const votes = new Map<number, number>();
  for (const record of records) {
    if ('EventData' in record) continue; // EVTX-converted: TimeCreated is UTC
    const utc = parseTime(text(record.UtcTime));
    const local = parseTime(text(record.EventTime ?? record.TimeCreated));
    if (!utc || !local) continue;
    const minutes = Math.round(Number((local.ticks - utc.ticks) / 10_000n) / QUARTER_HOUR_MS) * 15;
    votes.set(minutes, (votes.get(minutes) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : null;
}

/** Whether a parsed JSON object looks like a Windows event record this parser reads. */
export function isWindowsEvent(value: Record<string, unknown>): boolean {
  return 'EventID' in value && ('Channel' in value || 'SourceName' in value || 'ProviderName' in value);
}

interface Head {
  time: bigint;
  timeText: string;
  deviceId: string;
  deviceName: string;
  reportId: string;
}

function base(record: Fields, host: string, timeText: string, line: number, ctx: ParserContext, raw: string): Head | { issue: ParseIssue } {
  const time = parseTime(timeText);
  if (!time) return { issue: { file: ctx.file, line, message: `not a time: ${JSON.stringify(timeText.slice(0, 40))}`, raw } };
  const { deviceId, deviceName } = device(host);
  if (deviceId === '') return { issue: { file: ctx.file, line, message: 'missing Computer / Hostname', raw } };
  const number = text(record.EventRecordID ?? record.RecordNumber);
  const reportId = number === '' ? '' : `${text(record.Channel ?? record.SourceName)}:${number}`;
  return { time: time.ticks, timeText, deviceId, deviceName, reportId };
}

/** Parses one line of a Windows event log export. */
export function parseWindowsEventLine(rawText: string, line: number, ctx: ParserContext): ParseOutcome[] {
  const parsed = parseJsonLine(rawText, line, ctx.file);
  if (!('value' in parsed)) return [parsed];
  const record = parsed.value as Fields;
  if (typeof record !== 'object' || record === null) return [{ issue: { file: ctx.file, line, message: 'not a JSON object', raw: rawText } }];
  const source = sourceOf(record);
  const eventId = integer(record.EventID);
  const label = `${source === 'sysmon' ? 'Sysmon' : source === 'security' ? 'Security' : text(record.Channel ?? record.SourceName) || 'Windows'} ${eventId ?? '?'}`;
  const data = (typeof record.EventData === 'object' && record.EventData !== null ? record.EventData : record) as Fields;
  const host = text(record.Computer ?? record.Hostname);
  const columnsJson = rawText.trimEnd();
  if (source === 'sysmon' && (eventId === 1 || eventId === 3)) {
    const head = base(record, host, text(data.UtcTime), line, ctx, rawText);
    if ('issue' in head) return [head];
    const owner = {
      initiatorPid: eventId === 1 ? integer(data.ParentProcessId) : integer(data.ProcessId),
      initiatorCreatedAt: null,
      initiatorFileName: baseName(known(eventId === 1 ? data.ParentImage : data.Image)),
      initiatorFolderPath: known(eventId === 1 ? data.ParentImage : data.Image),
      initiatorCommandLine: eventId === 1 ? known(data.ParentCommandLine) : '',
      initiatorUniqueId: known(eventId === 1 ? data.ParentProcessGuid : data.ProcessGuid),
      initiatorAccountName: eventId === 1 ? '' : known(data.User),
      parentPid: null, parentCreatedAt: null, parentFileName: '',
    };
    const common = { ...head, actionType: '', identity: eventIdentity(head.reportId, label, columnsJson), columnsJson, ...owner };
    if (eventId === 1) {
      const image = known(data.Image);
      return [{ ok: { kind: 'process', table: 'DeviceProcessEvents', ...common, actionType: 'ProcessCreated',
        pid: integer(data.ProcessId), createdAt: head.time, fileName: baseName(image), folderPath: image, commandLine: known(data.CommandLine),
        uniqueId: known(data.ProcessGuid), accountName: known(data.User) } }];
    }
    // Sysmon 3: which end is this host's differs between Sysmon versions; decide by host name, else by the
    // listening (lower) port of an inbound connection.
    const initiated = text(data.Initiated).toLowerCase() === 'true';
    const src = { ip: known(data.SourceIp), port: integer(data.SourcePort), host: known(data.SourceHostname).toLowerCase() };
    const dst = { ip: known(data.DestinationIp), port: integer(data.DestinationPort), host: known(data.DestinationHostname).toLowerCase() };
    const me = head.deviceId;
    const sourceIsLocal = initiated ? true
      : src.host.split('.')[0] === me ? true : dst.host.split('.')[0] === me ? false : (src.port ?? 65536) < (dst.port ?? 65536);
    const [local, remote] = sourceIsLocal ? [src, dst] : [dst, src];
    return [{ ok: { kind: 'network', table: 'DeviceNetworkEvents', ...common, actionType: initiated ? 'ConnectionSuccess' : 'InboundConnectionAccepted',
      localIp: local.ip, localPort: local.port, remoteIp: remote.ip, remotePort: remote.port, protocol: known(data.Protocol) } }];
  }
  if (source === 'security' && (eventId === 4688 || eventId === 5156 || eventId === 5157)) {
    let timeText: string;
    if ('EventData' in record) timeText = text(record.TimeCreated);
    else {
      const local = parseTime(text(record.EventTime ?? record.TimeCreated));
      if (!local || ctx.localOffsetMinutes === null || ctx.localOffsetMinutes === undefined) return [{ skipped: `${label} (collector-local time only)` }];
      timeText = formatTicks(local.ticks - BigInt(ctx.localOffsetMinutes) * 600_000_000n);
    }
    const head = base(record, host, timeText, line, ctx, rawText);
    if ('issue' in head) return [head];
    const identity = eventIdentity(head.reportId, label, columnsJson);
    if (eventId === 4688) {
      const image = known(data.NewProcessName);
      const parent = known(data.ParentProcessName);
      return [{ ok: { kind: 'process', table: 'DeviceProcessEvents', ...head, actionType: 'ProcessCreated', identity, columnsJson,
        pid: integer(data.NewProcessId), createdAt: head.time, fileName: baseName(image), folderPath: image, commandLine: known(data.CommandLine),
        uniqueId: '', accountName: known(data.TargetUserName) || known(data.SubjectUserName),
        initiatorPid: integer(data.ProcessId), initiatorCreatedAt: null, initiatorFileName: baseName(parent), initiatorFolderPath: parent,
        initiatorCommandLine: '', initiatorUniqueId: '', initiatorAccountName: known(data.SubjectUserName), parentPid: null, parentCreatedAt: null, parentFileName: '' } }];
    }
    // WFP 5156 (allowed) / 5157 (blocked): Direction %%14592 is inbound. Which end is local varies by collector:
    // for an inbound connection it is the listening (lower) port.
    const inbound = text(data.Direction).includes('14592');
    const application = known(data.Application);
    const src = { ip: known(data.SourceAddress), port: integer(data.SourcePort) };
    const dst = { ip: known(data.DestAddress), port: integer(data.DestPort) };
    const [local, remote] = !inbound || (src.port ?? 65536) < (dst.port ?? 65536) ? [src, dst] : [dst, src];
    return [{ ok: { kind: 'network', table: 'DeviceNetworkEvents', ...head, identity, columnsJson,
      actionType: eventId === 5157 ? 'ConnectionBlocked' : inbound ? 'InboundConnectionAccepted' : 'ConnectionSuccess',
      localIp: local.ip, localPort: local.port, remoteIp: remote.ip, remotePort: remote.port,
      protocol: text(data.Protocol) === '6' ? 'Tcp' : text(data.Protocol) === '17' ? 'Udp' : text(data.Protocol),
      initiatorPid: integer(data.ProcessID ?? data.ProcessId), initiatorCreatedAt: null, initiatorFileName: baseName(application),
      initiatorFolderPath: application, initiatorCommandLine: '', initiatorUniqueId: '', initiatorAccountName: '',
      parentPid: null, parentCreatedAt: null, parentFileName: '' } }];
  }
  return [{ skipped: label }];
}
