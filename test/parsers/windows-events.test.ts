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
