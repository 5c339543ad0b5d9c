// Sources disagree about time and identity. A Sysmon 3 can be logged seconds early; a Security 5156 has whole
// seconds but the right second; Security 4688 names a process by PID where Sysmon names it by ProcessGuid (and some
// recordings lose Sysmon's ProcessId). These fixtures are small Sysmon + Security logs in the EVTX-as-JSON shape.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLineage, explainLineage } from '../../src/detect';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink, openStore } from '../../src/store';
import { useTempDirs } from '../helpers/temp-dir';

const HOST = 'TARGET.lab.local';
let record = 0;
const sysmon = (id: number, utc: string, data: Record<string, unknown>) => JSON.stringify({ ProviderName: 'Microsoft-Windows-Sysmon', EventID: String(id),
  TimeCreated: `${utc}000`, EventRecordID: String(++record), Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: HOST, EventData: { UtcTime: utc, ...data } });
const security = (id: number, utc: string, data: Record<string, unknown>) => JSON.stringify({ ProviderName: 'Microsoft-Windows-Security-Auditing', EventID: String(id),
  TimeCreated: utc, EventRecordID: String(++record), Channel: 'Security', Computer: HOST, EventData: data });

const RPCSS = { ProcessGuid: '{aaaaaaaa-0001-5f00-0000-000000000400}', ProcessId: '996', Image: 'C:\\Windows\\System32\\svchost.exe', User: 'NT AUTHORITY\\NETWORK SERVICE' };
const inbound135 = (utc: string) => sysmon(3, utc, { ...RPCSS, Protocol: 'tcp', Initiated: 'false', SourceIp: '10.0.0.5', SourcePort: '50123', DestinationIp: '10.0.0.6', DestinationPort: '135' });
const wfp135 = (utc: string) => security(5156, utc, { ProcessID: '996', Application: '\\device\\harddiskvolume2\\windows\\system32\\svchost.exe', Direction: '%%14592',
  SourceAddress: '10.0.0.6', SourcePort: '135', DestAddress: '10.0.0.5', DestPort: '50123', Protocol: '6' });
const MMC_GUID = '{aaaaaaaa-0003-5f00-0000-000000000400}';
const activation = (utc: string, pid: string | null) => sysmon(1, utc, { ProcessGuid: MMC_GUID, ...(pid ? { ProcessId: pid } : {}), Image: 'C:\\Windows\\System32\\mmc.exe',
  CommandLine: 'C:\\Windows\\system32\\mmc.exe -Embedding', User: 'LAB\\admin', ParentProcessGuid: '{aaaaaaaa-0002-5f00-0000-000000000400}', ParentProcessId: '612',
  ParentImage: 'C:\\Windows\\System32\\svchost.exe', ParentCommandLine: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p' });
const child = (utc: string) => sysmon(1, utc, { ProcessGuid: '{aaaaaaaa-0004-5f00-0000-000000000400}', ProcessId: '4242', Image: 'C:\\Windows\\System32\\cmd.exe',
  CommandLine: 'cmd.exe /c whoami', ParentProcessGuid: MMC_GUID, ParentImage: 'C:\\Windows\\System32\\mmc.exe', ParentCommandLine: 'C:\\Windows\\system32\\mmc.exe -Embedding' });

describe('source clocks and identities', () => {
  const tempDir = useTempDirs();
  const store = async (lines: string[]) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    const db = openStore(join(dir, 'l.db'));
    const summary = await ingestPaths([join(dir, 'events.jsonl')], { sink: createIngestSink(db), workers: 0 });
    expect(summary.rejects).toBe(0);
    return db;
  };

  it('sysmon-3-logged-early: within the Sysmon skew it alerts and says so; with --sysmon-skew 0s it is a near miss on the window', async () => {
    const db = await store([inbound135('2024-03-01 10:00:00.100'), activation('2024-03-01 10:00:08.200', '3572'), child('2024-03-01 10:00:08.900')]);
    const [alert, ...rest] = detectLineage(db);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ gapSeconds: 8.1, comServer: { pid: 3572, fileName: 'mmc.exe' }, rpcssHost: { pid: 996, accountName: 'NT AUTHORITY\\NETWORK SERVICE' } });
    expect(alert?.notes).toContain('the connection\'s time is Sysmon\'s (event 3, written from a buffer) with no more exact record of it: the window allows it 15s early and 1s late');
    expect(detectLineage(db, { settings: { sysmonSkew: '0s' } })).toEqual([]);
    expect(explainLineage(db, { settings: { sysmonSkew: '0s' } })).toMatchObject([{ step: 'comServer', reason: 'started outside the time window after the connection' }]);
    // A Sysmon 3 logged slightly after the start it caused (covenant_sharpwmi: 0.64 s) is within the late skew.
    const late = await store([activation('2024-03-01 10:00:00.000', '3572'), inbound135('2024-03-01 10:00:00.640'), child('2024-03-01 10:00:00.900')]);
    expect(detectLineage(late)).toHaveLength(1);
    expect(detectLineage(late, { settings: { sysmonSkewLate: '0s' } })).toEqual([]);
  });

  it('prefer-5156-over-sysmon-3: one connection, the Security time, one RPCSS host with the account Sysmon named', async () => {
    const db = await store([inbound135('2024-03-01 10:00:00.100'), wfp135('2024-03-01 10:00:10'),
      activation('2024-03-01 10:00:10.400', '3572'), child('2024-03-01 10:00:10.900')]);
    const alerts = detectLineage(db, { settings: { sysmonSkew: '0s' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.connections.map((c) => c.time)).toEqual(['2024-03-01T10:00:10.0000000Z']);
    expect(alerts[0]).toMatchObject({ gapSeconds: 0.4, rpcssHost: { pid: 996, accountName: 'NT AUTHORITY\\NETWORK SERVICE', key: expect.stringContaining(RPCSS.ProcessGuid) } });
    expect(alerts[0]?.notes).toContain('the connection\'s time has whole seconds only: the window allows it up to 1 s early');
    // The second-precision 5156 of a start 2.5 s after the true connection time is still in the window (+1 s).
    const edge = await store([wfp135('2024-03-01 10:00:10'), activation('2024-03-01 10:00:12.500', '3572'), child('2024-03-01 10:00:12.900')]);
    expect(detectLineage(edge)).toHaveLength(1);
    expect(detectLineage(edge, { settings: { windowMax: '1s' } })).toEqual([]);
  });

  it('missing-sysmon-pid-recovered-from-4688: the COM server gets the PID Security logged for the same start', async () => {
    const db = await store([wfp135('2024-03-01 10:00:10'), activation('2024-03-01 10:00:10.400', null),
      security(4688, '2024-03-01 10:00:10.000000', { NewProcessId: '0xdf4', NewProcessName: 'C:\\Windows\\System32\\mmc.exe', ProcessId: '0x264',
        CommandLine: '', ParentProcessName: 'C:\\Windows\\System32\\svchost.exe', TargetUserName: 'admin' }),
      child('2024-03-01 10:00:10.900')]);
    const alerts = detectLineage(db);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ comServer: { pid: 3572, createdAt: '2024-03-01T10:00:10.4000000Z', commandLine: 'C:\\Windows\\system32\\mmc.exe -Embedding' },
      dcomLaunchHost: { pid: 612 } });
    // The 4688 did not make a second COM server node: one alert, and nothing left over for explain.
    expect(explainLineage(db)).toEqual([]);
  });

  it('winlogbeat-ecs-end-to-end: the same chain shipped by winlogbeat is detected the same way', async () => {
    const ecs = (id: number, time: string, fields: Record<string, unknown>) => JSON.stringify({ '@timestamp': time,
      event: { code: String(id), provider: 'Microsoft-Windows-Sysmon', kind: 'event' }, host: { name: 'target' },
      winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: String(id), computer_name: HOST, record_id: String(++record), event_data: {} }, ...fields });
    const db = await store([
      ecs(3, '2024-03-01T10:00:00.100Z', { network: { direction: 'ingress', transport: 'tcp' }, user: { domain: 'NT AUTHORITY', name: 'NETWORK SERVICE' },
        process: { pid: 996, entity_id: RPCSS.ProcessGuid, executable: RPCSS.Image }, source: { ip: '10.0.0.5', port: 50123 }, destination: { ip: '10.0.0.6', port: 135 } }),
      ecs(1, '2024-03-01T10:00:00.600Z', { process: { pid: 3572, entity_id: MMC_GUID, executable: 'C:\\Windows\\System32\\mmc.exe', command_line: 'C:\\Windows\\system32\\mmc.exe -Embedding',
        parent: { pid: 612, entity_id: '{aaaaaaaa-0002-5f00-0000-000000000400}', executable: 'C:\\Windows\\System32\\svchost.exe', command_line: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p' } } }),
      ecs(1, '2024-03-01T10:00:01.000Z', { process: { pid: 4242, entity_id: '{aaaaaaaa-0004-5f00-0000-000000000400}', executable: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd.exe /c whoami',
        parent: { pid: 3572, entity_id: MMC_GUID, executable: 'C:\\Windows\\System32\\mmc.exe' } } }),
    ]);
    const alerts = detectLineage(db);
    expect(alerts.map((a) => [a.deviceName, a.comServer.pid, a.dcomLaunchHost.pid, a.rpcssHost.pid, a.children.map((c) => c.fileName), a.gapSeconds]))
      .toEqual([[HOST, 3572, 612, 996, ['cmd.exe'], 0.5]]);
  });

  it('security-only-logs: a 4688 creator named by PID is the process its own 4688 started, so DcomLaunch is proven by its command line', async () => {
    const SVCHOST = 'C:\\Windows\\System32\\svchost.exe';
    const parents: Record<number, string> = { 4: 'System', 704: 'C:\\Windows\\System32\\services.exe', 612: SVCHOST, 3572: 'C:\\Windows\\System32\\mmc.exe' };
    const sec4688 = (time: string, pid: number, creator: number, image: string, cmd: string) => security(4688, time, {
      NewProcessId: `0x${pid.toString(16)}`, NewProcessName: image, ProcessId: `0x${creator.toString(16)}`, ParentProcessName: parents[creator],
      CommandLine: cmd, TargetUserName: 'admin' });
    const db = await store([
      sec4688('2024-03-01 08:00:00.000000', 704, 4, 'C:\\Windows\\System32\\services.exe', 'C:\\Windows\\system32\\services.exe'),
      sec4688('2024-03-01 08:00:01.000000', 996, 704, SVCHOST, 'C:\\Windows\\system32\\svchost.exe -k RPCSS -p'),
      sec4688('2024-03-01 08:00:02.000000', 612, 704, SVCHOST, 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p'),
      wfp135('2024-03-01 10:00:10'),
      sec4688('2024-03-01 10:00:10.000000', 3572, 612, 'C:\\Windows\\System32\\mmc.exe', 'C:\\Windows\\system32\\mmc.exe -Embedding'),
      sec4688('2024-03-01 10:00:11.000000', 4242, 3572, 'C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c whoami'),
    ]);
    const [alert, ...rest] = detectLineage(db);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ comServer: { pid: 3572 }, dcomLaunchHost: { pid: 612, commandLine: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p' },
      rpcssHost: { pid: 996, commandLine: 'C:\\Windows\\system32\\svchost.exe -k RPCSS -p' } });
    expect(alert?.children.map((c) => c.fileName)).toEqual(['cmd.exe']);
    expect(alert?.notes).toEqual(['the connection\'s time has whole seconds only: the window allows it up to 1 s early']);
  });
});
