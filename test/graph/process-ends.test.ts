// Process-end records (Sysmon 5, Security 4689) are kept with the process events and end a process's life in the
// graph; they are never a start: not a boot, not a search hit, not a node of their own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeviceGraph, type ProcessNode } from '../../src/graph';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink, listDevices, openStore, readBoots, readDeviceEvents, readStats, searchProcesses } from '../../src/store';
import { useTempDirs } from '../helpers/temp-dir';

const HOST = 'WS1.lab.local';
let record = 0;
const evtx = (channel: string, id: number, time: string, data: Record<string, unknown>) => JSON.stringify({ EventID: String(id), Channel: channel,
  ProviderName: channel === 'Security' ? 'Microsoft-Windows-Security-Auditing' : 'Microsoft-Windows-Sysmon', Computer: HOST, TimeCreated: time,
  EventRecordID: String(++record), EventData: data });
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

describe('process ends', () => {
  const tempDir = useTempDirs();

  it('sysmon-5-and-security-4689: stored, counted, and mark the end of the right process', async () => {
    const dir = tempDir();
    const lines = [
      evtx(SYSMON, 1, '2024-03-01 10:00:00.100000', { UtcTime: '2024-03-01 10:00:00.100', ProcessGuid: '{g1}', ProcessId: '4000', Image: 'C:\\Windows\\System32\\notepad.exe', CommandLine: 'notepad.exe', ParentProcessId: '900' }),
      evtx(SYSMON, 5, '2024-03-01 10:05:00.000000', { UtcTime: '2024-03-01 10:05:00.000', ProcessGuid: '{g1}', ProcessId: '4000', Image: 'C:\\Windows\\System32\\notepad.exe' }),
      // PID 5000 is used twice: the 4689 ends the instance running at the time, not the earlier one.
      evtx('Security', 4688, '2024-03-01 09:00:00.000000', { NewProcessId: '0x1388', NewProcessName: 'C:\\Windows\\System32\\calc.exe', ProcessId: '0x384' }),
      evtx('Security', 4688, '2024-03-01 11:00:00.000000', { NewProcessId: '0x1388', NewProcessName: 'C:\\Windows\\System32\\mspaint.exe', ProcessId: '0x384' }),
      evtx('Security', 4689, '2024-03-01 11:30:00.000000', { ProcessId: '0x1388', ProcessName: 'C:\\Windows\\System32\\mspaint.exe', SubjectUserName: 'admin' }),
      // A services.exe that ends is a shutdown, not a boot; an end of a process never seen starting adds nothing.
      evtx('Security', 4689, '2024-03-01 12:00:00.000000', { ProcessId: '0x2c0', ProcessName: 'C:\\Windows\\System32\\services.exe' }),
    ];
    writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    const db = openStore(join(dir, 'l.db'));
    const summary = await ingestPaths([join(dir, 'events.jsonl')], { sink: createIngestSink(db), workers: 0 });
    expect([summary.events.DeviceProcessEvents, summary.skipped, summary.rejects]).toEqual([6, 0, 0]);
    expect(readStats(db).events.DeviceProcessEvents).toBe(6);
    expect(readBoots(db, null, null)).toEqual([]);
    const [device] = listDevices(db);
    expect(searchProcesses(db, { deviceId: device!.deviceId, limit: 10 }).map((p) => p.fileName)).toEqual(['mspaint.exe', 'notepad.exe', 'calc.exe']);
    const slice = readDeviceEvents(db, device!.row);
    const graph = buildDeviceGraph({ deviceId: device!.deviceId, deviceName: device!.deviceName, processes: slice.processes, network: slice.network, boots: [] });
    const ends = new Map<string, string | null>();
    graph.forEachNode((_key, node) => {
      if (node.kind === 'process' && node.observed) ends.set(node.fileName, node.endedAt === null ? null : String(node.endedAt));
    });
    const ticks = (iso: string) => String(BigInt(Date.parse(iso)) * 10_000n);
    expect(Object.fromEntries(ends)).toEqual({
      'notepad.exe': ticks('2024-03-01T10:05:00Z'), 'calc.exe': null, 'mspaint.exe': ticks('2024-03-01T11:30:00Z'),
    });
    let processes = 0;
    graph.forEachNode((_key, node) => { if (node.kind === 'process' && (node as ProcessNode).fileName === 'services.exe') processes++; });
    expect(processes).toBe(0);
    db.close();
  });
});
