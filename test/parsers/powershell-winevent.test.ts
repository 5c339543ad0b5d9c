// Windows events exported with PowerShell (`Get-WinEvent | ConvertTo-Json`): the corpus's EVTX records, rewritten in
// that shape, give the same events as the EVTX JSON they came from; each quirk of the shape on a minimal record.
import { describe, expect, it } from 'vitest';
import { parseTime, type NetworkEvent, type NormalizedEvent, type ProcessEvent } from '../../src/domain';
import { parseWindowsEventLine } from '../../src/parsers';
import { HAS_CORPUS } from '../helpers/corpus';
import { parseText } from '../helpers/parse-text';
import { useTempDirs } from '../helpers/temp-dir';
import { comparableEvent, readableCorpusRecords } from '../helpers/windows-corpus-records';

const ctx = { file: 'events.json', forcedTable: null, fileTable: null };
const parse = (record: Record<string, unknown>) => parseWindowsEventLine(JSON.stringify(record), 1, ctx);
const only = <T>(outcomes: ReturnType<typeof parse>): T => {
  expect(outcomes).toHaveLength(1);
  return (outcomes[0] as { ok: T }).ok;
};

const TYPE_NAME = 'System.Diagnostics.Eventing.Reader.EventProperty';
const SYSMON_TITLES: Record<number, string> = { 1: 'Process Create:', 3: 'Network connection detected:', 5: 'Process terminated:' };

/** The English message Windows renders for Security 4688 (Windows 10 layout). */
function security4688Message(d: Record<string, string>): string {
  return ['A new process has been created.', '', 'Creator Subject:', `\tSecurity ID:\t\t${d.SubjectUserSid}`, `\tAccount Name:\t\t${d.SubjectUserName}`,
    `\tAccount Domain:\t\t${d.SubjectDomainName}`, `\tLogon ID:\t\t${d.SubjectLogonId}`, '', 'Target Subject:', `\tSecurity ID:\t\t${d.TargetUserSid}`,
    `\tAccount Name:\t\t${d.TargetUserName}`, `\tAccount Domain:\t\t${d.TargetDomainName}`, `\tLogon ID:\t\t${d.TargetLogonId}`, '',
    'Process Information:', `\tNew Process ID:\t\t${d.NewProcessId}`, `\tNew Process Name:\t${d.NewProcessName}`,
    `\tToken Elevation Type:\t${d.TokenElevationType}`, `\tMandatory Label:\t\t${d.MandatoryLabel}`, `\tCreator Process ID:\t${d.ProcessId}`,
    `\tCreator Process Name:\t${d.ParentProcessName}`, `\tProcess Command Line:\t${d.CommandLine}`, '',
    'Token Elevation Type indicates the type of token that was assigned to the new process in accordance with User Account Control policy.',
  ].join('\r\n');
}

/** `/Date(ms)/` of a python-evtx UTC time (`2021-04-26 15:16:03.001966`): PowerShell 5.1 keeps milliseconds. */
function msDate(utc: string): string {
  const ticks = parseTime(utc)?.ticks ?? 0n;
  return `/Date(${ticks / 10_000n})/`;
}

/**
 * A python-evtx record (flat System fields, EventData) as PowerShell 5.1 writes it: Sysmon with its rendered message;
 * Security with `-Depth 3` (Properties by value) or at the default depth (type names, the English message).
 */
function asPowerShell(record: Record<string, unknown>, depth: 'default' | 3): Record<string, unknown> {
  const id = Number(record.EventID);
  const data = record.EventData as Record<string, string>;
  const sysmon = String(record.Channel).includes('Sysmon');
  const values = Object.values(data);
  const message = sysmon
    ? [SYSMON_TITLES[id] ?? 'Event:', ...Object.entries(data).map(([k, v]) => `${k}: ${v}`)].join('\r\n')
    : id === 4688 ? security4688Message(data) : '';
  return {
    Id: id, Version: 2, Qualifiers: null, Level: 4, RecordId: Number(record.EventRecordID), ProviderName: record.ProviderName,
    LogName: record.Channel, ProcessId: 4, ThreadId: 2884, MachineName: record.Computer, UserId: null, TimeCreated: msDate(String(record.TimeCreated)),
    MatchedQueryIds: [], Bookmark: {}, LevelDisplayName: 'Information', KeywordsDisplayNames: ['Audit Success'],
    Properties: depth === 3 ? values.map((v) => ({ Value: v })) : values.map(() => TYPE_NAME), Message: message,
  };
}

describe.skipIf(!HAS_CORPUS)('powershell-winevent conformance: the corpus records as ConvertTo-Json writes them', () => {
  it.each(['default', 3] as const)('every Sysmon 1/3/5 and Security 4688 record gives the same event (depth %s)', (depth) => {
    let compared = 0;
    for (const record of readableCorpusRecords()) {
      const fromEvtx = parseWindowsEventLine(JSON.stringify(record), 1, ctx);
      const fromPowerShell = parse(asPowerShell(record, depth));
      const unit = Number(record.EventID) === 4688 ? 10_000n : 1n; // Security is timed by TimeCreated: milliseconds here
      expect(fromPowerShell.map((o) => comparableEvent((o as { ok: NormalizedEvent }).ok, unit)))
        .toEqual(fromEvtx.map((o) => comparableEvent((o as { ok: NormalizedEvent }).ok, unit)));
      compared++;
    }
    expect(compared).toBe(23); // every process and network event of these files (see test/corpus/windows-events.test.ts)
  });
});

describe('powershell-winevent quirks', () => {
  const head = { Id: 1, ProviderName: 'Microsoft-Windows-Sysmon', LogName: 'Microsoft-Windows-Sysmon/Operational', MachineName: 'WS01.corp.local', RecordId: 4711,
    TimeCreated: '/Date(1619450164047)/', Properties: [TYPE_NAME] };

  it('powershell-sysmon-message: fields from the rendered message, a command line with a line break of its own', () => {
    const event = only<ProcessEvent>(parse({ ...head, Message: ['Process Create:', 'RuleName: -', 'UtcTime: 2021-04-26 15:16:04.046', 'ProcessGuid: {c}',
      'ProcessId: 3492', 'Image: C:\\Windows\\System32\\mmc.exe', 'CommandLine: "C:\\Windows\\system32\\mmc.exe" -Embedding', 'second line: of the command',
      'User: CORP\\admin', 'ParentProcessGuid: {p}', 'ParentProcessId: 660', 'ParentImage: C:\\Windows\\System32\\svchost.exe',
      'ParentCommandLine: C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p'].join('\r\n') }));
    expect(event).toMatchObject({ actionType: 'ProcessCreated', timeText: '2021-04-26 15:16:04.046', deviceId: 'ws01', deviceName: 'WS01.corp.local',
      reportId: 'Microsoft-Windows-Sysmon/Operational:4711', pid: 3492, uniqueId: '{c}', fileName: 'mmc.exe',
      commandLine: '"C:\\Windows\\system32\\mmc.exe" -Embedding\nsecond line: of the command', accountName: 'CORP\\admin',
      initiatorPid: 660, initiatorUniqueId: '{p}', initiatorFileName: 'svchost.exe', initiatorCommandLine: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p' });
  });

  it('powershell-sysmon-without-message: skipped with the reason, never read by position', () => {
    expect(parse({ ...head, Message: null })).toEqual([
      { skipped: 'Sysmon 1 (no Message text; its Properties are not read, their order differs between Sysmon versions)' }]);
  });

  it('powershell-depth-3-security-5156: Properties by value in the template order; PowerShell 7 ISO time with an offset', () => {
    const event = only<NetworkEvent>(parse({ Id: 5156, ProviderName: 'Microsoft-Windows-Security-Auditing', LogName: 'Security', MachineName: 'SRV01',
      RecordId: 99, TimeCreated: '2020-10-10T00:30:52.1234567+02:00', Message: 'The Windows Filtering Platform has permitted a connection.',
      Properties: [{ Value: 976 }, { Value: '\\device\\harddiskvolume2\\windows\\system32\\svchost.exe' }, { Value: '%%14592' }, { Value: '172.18.39.6' },
        { Value: '135' }, { Value: '172.18.39.5' }, { Value: '51736' }, { Value: 6 }, { Value: 70271 }, { Value: '%%14610' }, { Value: 44 }] }));
    expect(event).toMatchObject({ actionType: 'InboundConnectionAccepted', localIp: '172.18.39.6', localPort: 135, remoteIp: '172.18.39.5', remotePort: 51736,
      protocol: 'Tcp', initiatorPid: 976, initiatorFileName: 'svchost.exe', time: parseTime('2020-10-09T22:30:52.1234567Z')?.ticks, reportId: 'Security:99' });
  });

  it('powershell-default-depth-security: 4689 and 5157 read from the English message; another language is skipped, saying how to export', () => {
    const base = { ProviderName: 'Microsoft-Windows-Security-Auditing', LogName: 'Security', MachineName: 'SRV01', RecordId: 7, TimeCreated: '/Date(1619450164047)/',
      Properties: [TYPE_NAME, TYPE_NAME] };
    const ended = only<ProcessEvent>(parse({ ...base, Id: 4689, Message: ['A process has exited.', '', 'Subject:', '\tSecurity ID:\t\tS-1-5-18',
      '\tAccount Name:\t\tSRV01$', '', 'Process Information:', '\tProcess ID:\t0xda4', '\tProcess Name:\tC:\\Windows\\System32\\mmc.exe', '\tExit Status:\t0x0'].join('\r\n') }));
    expect(ended).toMatchObject({ actionType: 'ProcessTerminated', pid: 3492, fileName: 'mmc.exe', accountName: 'SRV01$', timeText: '2021-04-26T15:16:04.0470000Z' });
    const blocked = only<NetworkEvent>(parse({ ...base, Id: 5157, Message: ['The Windows Filtering Platform has blocked a connection.', '', 'Application Information:',
      '\tProcess ID:\t\t4', '\tApplication Name:\tSystem', '', 'Network Information:', '\tDirection:\t\tInbound', '\tSource Address:\t\t10.0.0.9',
      '\tSource Port:\t\t445', '\tDestination Address:\t10.0.0.5', '\tDestination Port:\t\t50123', '\tProtocol:\t\t6'].join('\r\n') }));
    expect(blocked).toMatchObject({ actionType: 'ConnectionBlocked', localIp: '10.0.0.9', localPort: 445, remoteIp: '10.0.0.5', initiatorPid: 4, protocol: 'Tcp' });
    expect(parse({ ...base, Id: 4688, Message: 'Un nouveau processus a été créé.\r\n\r\nInformations sur le processus :\r\n\tID du nouveau processus :\t0xda4' }))
      .toEqual([{ skipped: 'Security 4688 (its Properties hold no values and its Message is not the English text; export with ConvertTo-Json -Depth 3)' }]);
  });
});

describe('powershell-winevent files', () => {
  const tempDir = useTempDirs();
  const record = { Id: 1, Version: 5, ProviderName: 'Microsoft-Windows-Sysmon', LogName: 'Microsoft-Windows-Sysmon/Operational', MachineName: 'WS01',
    RecordId: 1, TimeCreated: '/Date(1619450164047)/', Properties: [TYPE_NAME], Keywords: -9223372036854775808,
    Message: 'Process Create:\r\nUtcTime: 2021-04-26 15:16:04.046\r\nProcessGuid: {c}\r\nProcessId: 3492\r\nImage: C:\\Windows\\System32\\mmc.exe' };
  const records = [1, 2, 3].map((n) => ({ ...record, RecordId: n, Message: record.Message.replace('{c}', `{c${n}}`) }));
  /** PowerShell 5.1's ConvertTo-Json layout: four-space indents, two spaces after each colon, CRLF. */
  const ps51 = (value: unknown): string => JSON.stringify(value, null, 4).replace(/": /g, '":  ').replace(/\n/g, '\r\n');

  it('an array as PowerShell 5.1 saves it with `>` (UTF-16LE with a BOM, pretty-printed, CRLF) is read as Windows events', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ps51(records), 'utf16le')]);
    const parsed = await parseText(tempDir(), 'sysmon.json', utf16);
    expect(parsed.format).toBe('windows-events');
    expect(parsed.issues).toEqual([]);
    expect(parsed.events.map((e) => (e as ProcessEvent).uniqueId)).toEqual(['{c1}', '{c2}', '{c3}']);
    expect(parsed.lines).toEqual([1, 2, 3]); // position in the array
  });

  it('a single event (ConvertTo-Json of one record: an object, not an array), -Compress output one per line, and --format windows-events on an array', async () => {
    const forced = await parseText(tempDir(), 'forced.json', ps51(records), { format: 'windows-events' });
    expect([forced.format, forced.events.length, forced.issues]).toEqual(['windows-events', 3, []]); // --format names it, the framing is still sniffed
    const single = await parseText(tempDir(), 'one.json', ps51(records[0]));
    expect([single.format, single.events.length, single.issues]).toEqual(['windows-events', 1, []]);
    const lines = await parseText(tempDir(), 'lines.json', `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect([lines.format, lines.events.length, lines.issues]).toEqual(['windows-events', 3, []]);
  });
});
