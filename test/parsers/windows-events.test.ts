// Windows event quirks from the corpus README, each on a minimal record: both JSON shapes, Sysmon 3 endpoint
// orientation, `Initiated` in either case, placeholders, hex PIDs in Security 4688, collector-local times.
import { describe, expect, it } from 'vitest';
import type { NetworkEvent, ProcessEvent } from '../../src/domain';
import { parseWindowsEventLine } from '../../src/parsers';

const ctx = { file: 'events.json', forcedTable: null, fileTable: null };
const parse = (record: Record<string, unknown>) => parseWindowsEventLine(JSON.stringify(record), 1, ctx);
const sysmon3 = (data: Record<string, unknown>) => parse({ EventID: 3, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'WORKSTATION6.theshire.local', RecordNumber: 7,
  UtcTime: '2020-09-17 21:46:05.411', ProcessId: '996', Image: 'C:\\Windows\\System32\\svchost.exe', User: 'NT AUTHORITY\\NETWORK SERVICE', Protocol: 'tcp', ...data });

describe('windows events', () => {
  it('sysmon-3-inbound-source-is-remote (OTRF): the local end is the listening port', () => {
    const [outcome] = sysmon3({ Initiated: 'false', SourceIp: '172.18.39.5', SourcePort: '61543', DestinationIp: '172.18.39.6', DestinationPort: '135' });
    const event = (outcome as { ok: NetworkEvent }).ok;
    expect(event).toMatchObject({ actionType: 'InboundConnectionAccepted', localIp: '172.18.39.6', localPort: 135, remoteIp: '172.18.39.5', remotePort: 61543,
      deviceId: 'workstation6', deviceName: 'WORKSTATION6.theshire.local', initiatorPid: 996, initiatorFileName: 'svchost.exe', initiatorAccountName: 'NT AUTHORITY\\NETWORK SERVICE' });
  });

  it('sysmon-3-inbound-source-is-local (2019 EVTX) and Initiated as True/False', () => {
    const [outcome] = parse({ EventID: '3', Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'IEWIN7', TimeCreated: '2019-04-30 20:35:11.980000',
      EventData: { UtcTime: '2019-04-30 20:35:11.980', ProcessId: '3572', Image: 'C:\\Windows\\system32\\mmc.exe', Initiated: 'False', SourceIp: '10.0.2.18',
        SourceHostname: 'IEWIN7', SourcePort: '49163', DestinationIp: '10.0.2.19', DestinationPort: '33474' } });
    expect((outcome as { ok: NetworkEvent }).ok).toMatchObject({ localIp: '10.0.2.18', localPort: 49163, remoteIp: '10.0.2.19', actionType: 'InboundConnectionAccepted' });
    const [outbound] = sysmon3({ Initiated: 'True', SourceIp: '172.18.39.6', SourcePort: '50000', DestinationIp: '172.18.38.5', DestinationPort: '135' });
    expect((outbound as { ok: NetworkEvent }).ok).toMatchObject({ actionType: 'ConnectionSuccess', localIp: '172.18.39.6', remotePort: 135 });
  });

  it('sysmon-1-placeholders: "?" for an unknown parent is no parent name', () => {
    const [outcome] = parse({ EventID: '1', Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'MSEDGEWIN10', EventData: { UtcTime: '2021-08-07 23:33:01.091',
      ProcessGuid: '{a}', ProcessId: '9932', Image: 'C:\\Windows\\System32\\mshta.exe', CommandLine: 'mshta.exe x', ParentProcessGuid: '{b}', ParentProcessId: '600', ParentImage: '?', ParentCommandLine: '?' } });
    expect((outcome as { ok: ProcessEvent }).ok).toMatchObject({ pid: 9932, uniqueId: '{a}', initiatorUniqueId: '{b}', initiatorFileName: '', initiatorCommandLine: '', fileName: 'mshta.exe' });
  });

  it('security-4688-hex-pids, and records with only a collector-local time are skipped, named', () => {
    const [outcome] = parse({ EventID: '4688', Channel: 'Security', Computer: 'srvdefender01.offsec.lan', TimeCreated: '2021-04-26 15:16:04.047000', EventRecordID: '12',
      EventData: { NewProcessId: '0xda4', NewProcessName: 'C:\\Windows\\System32\\mmc.exe', CommandLine: 'C:\\Windows\\system32\\mmc.exe -Embedding', ProcessId: '0x294',
        ParentProcessName: 'C:\\Windows\\System32\\svchost.exe', TargetUserName: 'admmig' } });
    expect((outcome as { ok: ProcessEvent }).ok).toMatchObject({ pid: 3492, initiatorPid: 660, initiatorFileName: 'svchost.exe', accountName: 'admmig', deviceId: 'srvdefender01' });
    expect(parse({ EventID: 4688, SourceName: 'Microsoft-Windows-Security-Auditing', Channel: 'security', Hostname: 'WORKSTATION6', EventTime: '2020-09-18 15:00:21', NewProcessId: '0x554' }))
      .toEqual([{ skipped: 'Security 4688 (collector-local time only)' }]);
    expect(parse({ EventID: 10, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'X' })).toEqual([{ skipped: 'Sysmon 10' }]);
  });
});

describe('windows event quirks, more', () => {
  it('otrf-@timestamp-is-ingest-time: the event time is UtcTime, not the pipeline\'s @timestamp', () => {
    const [outcome] = sysmon3({ '@timestamp': '2020-09-17T21:46:11.000Z', Initiated: 'false', SourceIp: '172.18.39.5', SourcePort: '61543', DestinationIp: '172.18.39.6', DestinationPort: '135' });
    expect((outcome as { ok: NetworkEvent }).ok.timeText).toBe('2020-09-17 21:46:05.411');
  });

  it('unknown-process-placeholder and host names with and without the domain name one device', () => {
    const [fqdn] = sysmon3({ Image: '<unknown process>', Initiated: 'false', SourceIp: '172.18.39.5', SourcePort: '1', DestinationIp: '172.18.39.6', DestinationPort: '135' });
    const [short] = sysmon3({ Hostname: 'WORKSTATION6', Initiated: 'false', SourceIp: '172.18.39.5', SourcePort: '1', DestinationIp: '172.18.39.6', DestinationPort: '135' });
    expect((fqdn as { ok: NetworkEvent }).ok).toMatchObject({ initiatorFileName: '', initiatorFolderPath: '', deviceId: 'workstation6', deviceName: 'WORKSTATION6.theshire.local' });
    expect((short as { ok: NetworkEvent }).ok).toMatchObject({ deviceId: 'workstation6', deviceName: 'WORKSTATION6' });
  });

  it('sysmon-5 and security-4689 are process ends (ProcessTerminated), never starts', () => {
    const [sysmon5] = parse({ EventID: 5, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'WORKSTATION6.theshire.local', RecordNumber: 9,
      UtcTime: '2020-09-17 21:47:00.000', ProcessGuid: '{g}', Image: 'C:\\Windows\\System32\\notepad.exe' });
    expect((sysmon5 as { ok: ProcessEvent }).ok).toMatchObject({ actionType: 'ProcessTerminated', uniqueId: '{g}', pid: null, createdAt: null, fileName: 'notepad.exe', initiatorPid: null });
    const [security4689] = parse({ EventID: '4689', Channel: 'Security', Computer: 'srv', TimeCreated: '2021-04-26 15:20:00.000000', EventData: { ProcessId: '0xda4', ProcessName: 'C:\\Windows\\System32\\mmc.exe' } });
    expect((security4689 as { ok: ProcessEvent }).ok).toMatchObject({ actionType: 'ProcessTerminated', pid: 3492, fileName: 'mmc.exe', createdAt: null });
  });
});

describe('windows event shapes', () => {
  it('winlogbeat-ecs-sysmon-1: process fields from process.* and process.parent.*, UtcTime from @timestamp', () => {
    const [outcome] = parse({ '@timestamp': '2019-04-30T20:35:11.856Z', event: { code: '1', provider: 'Microsoft-Windows-Sysmon', kind: 'event' },
      winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1', computer_name: 'IEWIN7', record_id: '9832',
        event_data: { IntegrityLevel: 'High', LogonGuid: '{x}' } },
      process: { pid: 3572, entity_id: '{365abb72-b17f-5cc8-0000-001082a51e00}', executable: 'C:\\Windows\\System32\\mmc.exe', name: 'mmc.exe',
        command_line: 'C:\\Windows\\system32\\mmc.exe -Embedding',
        parent: { pid: 612, entity_id: '{p}', executable: 'C:\\Windows\\System32\\svchost.exe', command_line: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch' } },
      user: { domain: 'IEWIN7', name: 'IEUser' }, host: { name: 'iewin7' } });
    expect((outcome as { ok: ProcessEvent }).ok).toMatchObject({ kind: 'process', time: 15566565118560000n,
      timeText: '2019-04-30T20:35:11.856Z', deviceId: 'iewin7', deviceName: 'IEWIN7', reportId: 'Microsoft-Windows-Sysmon/Operational:9832',
      pid: 3572, uniqueId: '{365abb72-b17f-5cc8-0000-001082a51e00}', fileName: 'mmc.exe', commandLine: 'C:\\Windows\\system32\\mmc.exe -Embedding',
      accountName: 'IEWIN7\\IEUser', initiatorPid: 612, initiatorUniqueId: '{p}', initiatorFileName: 'svchost.exe',
      initiatorCommandLine: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch' });
  });

  it('winlogbeat-ecs-sysmon-3: network.direction ingress is an inbound connection, the local end decided by port', () => {
    const [outcome] = parse({ '@timestamp': '2020-09-17T21:46:05.411Z', winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 3,
      computer_name: 'WORKSTATION6.theshire.local', record_id: 7 }, network: { direction: 'ingress', transport: 'tcp' },
      process: { pid: 996, entity_id: '{g}', executable: 'C:\\Windows\\System32\\svchost.exe' },
      source: { ip: '172.18.39.5', port: 61543 }, destination: { ip: '172.18.39.6', port: 135 }, user: { domain: 'NT AUTHORITY', name: 'NETWORK SERVICE' } });
    expect((outcome as { ok: NetworkEvent }).ok).toMatchObject({ actionType: 'InboundConnectionAccepted', localIp: '172.18.39.6', localPort: 135,
      remoteIp: '172.18.39.5', remotePort: 61543, initiatorPid: 996, initiatorUniqueId: '{g}', initiatorAccountName: 'NT AUTHORITY\\NETWORK SERVICE', protocol: 'tcp' });
  });

  it('winlogbeat-ecs-security-4688 and 5156: hex ids left in event_data, ECS for the rest, @timestamp is UTC', () => {
    const [created] = parse({ '@timestamp': '2021-04-26T15:16:04.047Z', winlog: { channel: 'Security', event_id: '4688', computer_name: 'srvdefender01.offsec.lan',
      record_id: '12', event_data: { NewProcessId: '0xda4', ProcessId: '0x294', TargetUserName: 'admmig' } },
      process: { pid: 3492, executable: 'C:\\Windows\\System32\\mmc.exe', command_line: 'mmc.exe -Embedding', parent: { pid: 660, executable: 'C:\\Windows\\System32\\svchost.exe' } } });
    expect((created as { ok: ProcessEvent }).ok).toMatchObject({ pid: 3492, initiatorPid: 660, initiatorFileName: 'svchost.exe', accountName: 'admmig',
      commandLine: 'mmc.exe -Embedding', timeText: '2021-04-26T15:16:04.047Z', reportId: 'Security:12' });
    const [wfp] = parse({ '@timestamp': '2020-10-09T22:30:52Z', winlog: { channel: 'Security', event_id: '5156', computer_name: 'WORKSTATION6.theshire.local',
      event_data: { Direction: '%%14592', Protocol: '6', ProcessID: '976', Application: '\\device\\harddiskvolume2\\windows\\system32\\svchost.exe',
        SourceAddress: '172.18.39.6', SourcePort: '135', DestAddress: '172.18.39.5', DestPort: '51736' } } });
    expect((wfp as { ok: NetworkEvent }).ok).toMatchObject({ actionType: 'InboundConnectionAccepted', localPort: 135, remoteIp: '172.18.39.5', initiatorPid: 976, protocol: 'Tcp' });
  });

  it('evtx-dump-nested: {"Event":{"System":...,"EventData":...}} with #attributes and an EventID object', () => {
    const [outcome] = parse({ Event: { '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } }, EventID: { '#attributes': { Qualifiers: 0 }, '#text': 4688 },
        TimeCreated: { '#attributes': { SystemTime: '2021-04-26T15:16:04.047122Z' } }, EventRecordID: 471790, Channel: 'Security', Computer: 'srvdefender01.offsec.lan' },
      EventData: { NewProcessId: '0x0000000000000da4', NewProcessName: 'C:\\Windows\\System32\\mmc.exe', ProcessId: '0x294', ParentProcessName: 'C:\\Windows\\System32\\svchost.exe' } } });
    expect((outcome as { ok: ProcessEvent }).ok).toMatchObject({ pid: 3492, initiatorPid: 660, timeText: '2021-04-26T15:16:04.047122Z', reportId: 'Security:471790', deviceId: 'srvdefender01' });
  });

  it('collector-clock-learned-later: Security records before the first Sysmon pair are held, then read at UTC', async () => {
    const { parseText } = await import('../helpers/parse-text');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'clock-'));
    const security = (n: number, local: string) => JSON.stringify({ EventID: 4688, SourceName: 'Microsoft-Windows-Security-Auditing', Channel: 'Security',
      Hostname: 'WORKSTATION6.theshire.local', EventTime: local, RecordNumber: n, NewProcessId: '0x554', NewProcessName: 'C:\\x.exe', ProcessId: '0x3c0' });
    const sysmon = (n: number, local: string, utc: string) => JSON.stringify({ EventID: 1, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational',
      Hostname: 'WORKSTATION6.theshire.local', EventTime: local, UtcTime: utc, RecordNumber: n, ProcessGuid: `{${n}}`, Image: 'C:\\y.exe' });
    const lines = [security(1, '2020-09-18 15:00:21'), sysmon(2, '2020-09-18 15:00:22', '2020-09-18 19:00:21.341'),
      sysmon(3, '2020-09-18 15:00:23', '2020-09-18 19:00:22.500'), sysmon(4, '2020-09-18 15:00:24', '2020-09-18 19:00:23.100')];
    const parsed = await parseText(dir, 'events.json', `${lines.join('\n')}\n`);
    const security4688 = parsed.events.find((e) => e.reportId === 'Security:1');
    expect(security4688?.timeText).toBe('2020-09-18T19:00:21Z'); // whole seconds, as the collector wrote them
    expect(parsed.lines[parsed.events.indexOf(security4688!)]).toBe(1);
    // With no Sysmon pair in the whole file, nothing is guessed: skipped, named.
    const alone = await parseText(dir, 'alone.json', `${security(5, '2020-09-18 15:00:21')}\n`);
    expect([alone.events.length, alone.skipped]).toEqual([0, { 'Security 4688 (collector-local time only)': 1 }]);
  });
});

describe('windows event shapes, converters that keep the XML', () => {
  it('eventdata-as-data-array: {"Data":[{"@Name","#text"}]} is read like a flat EventData; a textual WFP direction', () => {
    const [outcome] = parse({ Event: { System: { Provider: { '@Name': 'Microsoft-Windows-Security-Auditing' }, EventID: '5156',
      TimeCreated: { '@SystemTime': '2020-10-09T22:30:52.123Z' }, EventRecordID: '7', Channel: 'Security', Computer: 'WORKSTATION6.theshire.local' },
    EventData: { Data: [{ '@Name': 'ProcessID', '#text': '976' }, { '@Name': 'Direction', '#text': 'Inbound' }, { '@Name': 'SourceAddress', '#text': '172.18.39.6' },
      { '@Name': 'SourcePort', '#text': '135' }, { '@Name': 'DestAddress', '#text': '172.18.39.5' }, { '@Name': 'DestPort', '#text': '51736' }, { '@Name': 'Protocol', '#text': '6' }] } } });
    expect((outcome as { ok: NetworkEvent }).ok).toMatchObject({ actionType: 'InboundConnectionAccepted', localPort: 135, remoteIp: '172.18.39.5', remotePort: 51736,
      initiatorPid: 976, timeText: '2020-10-09T22:30:52.123Z', deviceId: 'workstation6' });
  });
});
