// The lineage queries: process search with pagination, one process with its raw events, the bounded lineage graph.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInput, NotFound } from '../../src/domain';
import { detectLineage } from '../../src/detect';
import { ingestPaths } from '../../src/ingest';
import { getProcess, processLineage, searchProcesses } from '../../src/queries';
import { formatRows } from '../../src/simulate';
import { createIngestSink, listDevices, openStore } from '../../src/store';
import { sampleStore } from '../helpers/sample-store';
import { useTempDirs } from '../helpers/temp-dir';

describe('lineage queries', () => {
  const tempDir = useTempDirs();

  it('searches processes by text and PID, newest first, paginating without gaps or duplicates', async () => {
    const db = await sampleStore(tempDir());
    const alert = detectLineage(db)[0]!;
    const all = searchProcesses(db, { deviceId: alert.deviceId, limit: 10_000 }).items;
    expect(all.length).toBeGreaterThan(50);
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page = searchProcesses(db, { deviceId: alert.deviceId, limit: 7, cursor });
      pages.push(...page.items.map((p) => p.key + p.eventId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.map((p) => p.key + p.eventId));
    const q = alert.comServer.fileName.toUpperCase();
    const byText = searchProcesses(db, { deviceId: alert.deviceId, q, limit: 100 }).items;
    expect(byText.length).toBeGreaterThan(0);
    expect(byText.every((p) => p.commandLine.toUpperCase().includes(q) || p.fileName.toUpperCase().includes(q))).toBe(true);
    const byPid = searchProcesses(db, { deviceId: alert.deviceId, pid: alert.comServer.pid!, limit: 100 }).items;
    expect(byPid.map((p) => p.key)).toContain(alert.comServer.key);
    expect(() => searchProcesses(db, { deviceId: alert.deviceId, limit: 5, cursor: 'garbage' })).toThrow(InvalidInput);
  });

  it('returns one process with every column and the raw events behind it', async () => {
    const db = await sampleStore(tempDir());
    const alert = detectLineage(db)[0]!;
    const process = getProcess(db, alert.comServer.key);
    expect(process).toMatchObject({ key: alert.comServer.key, commandLine: alert.comServer.commandLine, parentKey: alert.dcomLaunchHost.key });
    expect(process.events[0]).toMatchObject({ relation: 'created', table: 'DeviceProcessEvents' });
    expect(process.events[0]?.columns).toMatchObject({ ProcessCommandLine: alert.comServer.commandLine, SHA256: expect.any(String) });
    expect(process.events.filter((e) => e.relation === 'started-child').length).toBe(alert.children.length);
    expect(() => getProcess(db, `${alert.deviceId}:4:1`)).toThrow(NotFound);
    expect(() => getProcess(db, 'not-a-key')).toThrow(NotFound);
  });

  it('walks ancestors and descendants within limits and counts what it left out', async () => {
    const db = await sampleStore(tempDir());
    const alert = detectLineage(db).find((a) => a.children.length >= 2 && a.bootTime !== null)!;
    const full = processLineage(db, alert.comServer.key, { ancestors: 10, descendants: 10, maxNodes: 500 });
    const ids = full.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining([alert.comServer.key, alert.dcomLaunchHost.key, ...alert.children.map((c) => c.key)]));
    expect(full.truncated).toBe(false);
    expect(full.edges.some((e) => e.source === alert.dcomLaunchHost.key && e.target === alert.comServer.key)).toBe(true);
    const cut = processLineage(db, alert.comServer.key, { ancestors: 1, descendants: 1, maxNodes: 3 });
    expect(cut.truncated).toBe(true);
    expect(cut.omitted.ancestors).toBe(1);
    expect(cut.omitted.byNode[alert.comServer.key]).toBeGreaterThan(0);
    expect(listDevices(db).length).toBe(5);
  });

  it('a process with many children: details show the first 200 in time order, the lineage the first that fit, and count the rest', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.json');
    const parentCreated = '2025-03-01T08:00:00.0000000Z';
    const child = (i: number) => ({ DeviceId: 'busy-1', DeviceName: 'busy', ActionType: 'ProcessCreated', ReportId: 1000 + i,
      // Written newest first: the order asked for is the store's, not the file's.
      Timestamp: `2025-03-01T09:${String(Math.floor((249 - i) / 60)).padStart(2, '0')}:${String((249 - i) % 60).padStart(2, '0')}.0000000Z`,
      FileName: 'conhost.exe', ProcessId: 1000 + 4 * i, ProcessCreationTime: '', ProcessCommandLine: `conhost.exe ${i}`,
      InitiatingProcessId: 40, InitiatingProcessFileName: 'explorer.exe', InitiatingProcessCreationTime: parentCreated });
    const children = Array.from({ length: 250 }, (_, i) => child(i)).map((row) => ({ ...row, ProcessCreationTime: row.Timestamp }));
    const parent = { DeviceId: 'busy-1', DeviceName: 'busy', ActionType: 'ProcessCreated', ReportId: 1, Timestamp: parentCreated,
      FileName: 'explorer.exe', ProcessId: 40, ProcessCreationTime: parentCreated, ProcessCommandLine: 'explorer.exe' };
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', [parent, ...children]));
    const db = openStore(join(dir, 'busy.db'));
    await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
    const [root] = searchProcesses(db, { deviceId: 'busy-1', q: 'explorer', limit: 1 }).items;
    const detail = getProcess(db, root!.key);
    const started = detail.events.filter((e) => e.relation === 'started-child').map((e) => (e.columns as { ProcessCommandLine: string }).ProcessCommandLine);
    expect(started).toHaveLength(200);
    expect(started.slice(0, 2)).toEqual(['conhost.exe 249', 'conhost.exe 248']);
    expect(started[199]).toBe('conhost.exe 50');
    expect(detail.truncated).toBe(true);
    const graph = processLineage(db, root!.key, { ancestors: 0, descendants: 1, maxNodes: 11 });
    expect(graph.nodes.map((n) => n.data.commandLine).filter((c) => c !== 'explorer.exe').sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `conhost.exe ${240 + i}`));
    expect(graph.omitted.byNode[root!.key]).toBe(240);
    expect(graph.omitted.descendants).toBe(240);
    const rootOnly = processLineage(db, root!.key, { ancestors: 0, descendants: 0, maxNodes: 300 });
    expect([rootOnly.nodes.length, rootOnly.omitted.byNode[root!.key]]).toEqual([1, 250]);
    const all = processLineage(db, root!.key, { ancestors: 0, descendants: 1, maxNodes: 300 });
    expect([all.nodes.length, all.omitted.descendants, all.truncated]).toEqual([251, 0, false]);
    // At most 25 children per process, then the next pages of them ("+N more"), each picking up where the last stopped.
    const commandLines = (graph: { nodes: Array<{ data: Record<string, unknown> }> }) =>
      graph.nodes.map((n) => n.data.commandLine as string).filter((c) => c !== 'explorer.exe').sort();
    const capped = processLineage(db, root!.key, { ancestors: 0, descendants: 3, maxNodes: 300, maxChildren: 25 });
    expect([capped.nodes.length, capped.omitted.byNode[root!.key]]).toEqual([26, 225]);
    const next = processLineage(db, root!.key, { ancestors: 0, descendants: 1, maxNodes: 300, maxChildren: 100, skip: 25 });
    expect(commandLines(next)).toEqual(Array.from({ length: 100 }, (_, i) => `conhost.exe ${125 + i}`));
    expect(next.omitted.byNode[root!.key]).toBe(125);
    const last = processLineage(db, root!.key, { ancestors: 0, descendants: 1, maxNodes: 300, maxChildren: 200, skip: 225 });
    expect([last.nodes.length, last.omitted.byNode[root!.key]]).toEqual([26, undefined]);
    expect(processLineage(db, root!.key, { ancestors: 0, descendants: 1, maxNodes: 300, skip: 400 }).nodes).toHaveLength(1);
    db.close();
  });

  it('children named two ways (by creation time, or by unique id alone) come in one time order, page by page', async () => {
    const dir = tempDir();
    const file = join(dir, 'DeviceProcessEvents.json');
    const created = '2025-03-01T08:00:00.0000000Z';
    const parent = { DeviceId: 'two-ways', DeviceName: 'h', ActionType: 'ProcessCreated', ReportId: 1, Timestamp: created, FileName: 'svchost.exe',
      ProcessId: 40, ProcessCreationTime: created, ProcessUniqueId: 'u-40', ProcessCommandLine: 'svchost.exe -k netsvcs' };
    // Odd children name their parent by its creation time, even ones by its unique id alone.
    const children = Array.from({ length: 6 }, (_, i) => ({ DeviceId: 'two-ways', DeviceName: 'h', ActionType: 'ProcessCreated', ReportId: 10 + i,
      Timestamp: `2025-03-01T09:00:0${i}.0000000Z`, ProcessCreationTime: `2025-03-01T09:00:0${i}.0000000Z`, FileName: 'child.exe',
      ProcessId: 100 + 4 * i, ProcessUniqueId: `u-c${i}`, ProcessCommandLine: `child ${i}`, InitiatingProcessId: 40, InitiatingProcessFileName: 'svchost.exe',
      ...(i % 2 === 0 ? { InitiatingProcessCreationTime: created } : { InitiatingProcessUniqueId: 'u-40' }) }));
    writeFileSync(file, formatRows('mde-ndjson', 'DeviceProcessEvents', [parent, ...[...children].reverse()]));
    const db = openStore(join(dir, 'two-ways.db'));
    await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
    const [root] = searchProcesses(db, { deviceId: 'two-ways', q: 'netsvcs', limit: 1 }).items;
    const shown = (graph: { nodes: Array<{ data: Record<string, unknown> }> }) =>
      graph.nodes.map((n) => n.data.commandLine as string).filter((c) => c.startsWith('child')).sort();
    const first = processLineage(db, root!.key, { ancestors: 0, descendants: 1, maxNodes: 100, maxChildren: 3 });
    expect([shown(first), first.omitted.byNode[root!.key]]).toEqual([['child 0', 'child 1', 'child 2'], 3]);
    const next = processLineage(db, root!.key, { ancestors: 0, descendants: 1, maxNodes: 100, maxChildren: 3, skip: 3 });
    expect([shown(next), next.omitted.byNode[root!.key]]).toEqual([['child 3', 'child 4', 'child 5'], undefined]);
    expect(getProcess(db, root!.key).events.filter((e) => e.relation === 'started-child')
      .map((e) => (e.columns as { ProcessCommandLine: string }).ProcessCommandLine)).toEqual(children.map((c) => c.ProcessCommandLine));
    db.close();
  });

  it('lists a process that Sysmon and Security 4688 both recorded once, as Sysmon\'s record, with the 4688 among its events', async () => {
    let n = 0;
    const record = (provider: string, channel: string, id: number, time: string, data: Record<string, unknown>) => JSON.stringify({
      ProviderName: provider, EventID: String(id), TimeCreated: time, EventRecordID: String(++n), Channel: channel, Computer: 'TWIN-HOST', EventData: data });
    const sysmon = (time: string, data: Record<string, unknown>) => record('Microsoft-Windows-Sysmon', 'Microsoft-Windows-Sysmon/Operational', 1, time, { UtcTime: time, ...data });
    const security = (time: string, data: Record<string, unknown>) => record('Microsoft-Windows-Security-Auditing', 'Security', 4688, time,
      { SubjectUserName: 'TWIN-HOST$', ParentProcessName: 'C:\\Windows\\explorer.exe', ...data });
    const file = join(tempDir(), 'twins.jsonl');
    writeFileSync(file, `${[
      // One start in both logs: Sysmon to the millisecond, 4688 to the second.
      sysmon('2024-05-06 10:00:00.250', { ProcessGuid: '{twin-1}', ProcessId: '700', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c dir',
        ParentProcessGuid: '{explorer}', ParentProcessId: '500', ParentImage: 'C:\\Windows\\explorer.exe' }),
      security('2024-05-06 10:00:00', { NewProcessId: '0x2bc', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ProcessId: '0x1f4', CommandLine: 'cmd.exe /c dir' }),
      // Sysmon lost this one's PID (as some NXLog recordings do): its 4688 is known by the same creator.
      sysmon('2024-05-06 10:00:05.500', { ProcessGuid: '{twin-2}', Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami',
        ParentProcessGuid: '{twin-1}', ParentProcessId: '700', ParentImage: 'C:\\Windows\\System32\\cmd.exe' }),
      security('2024-05-06 10:00:05', { NewProcessId: '0x320', NewProcessName: 'C:\\Windows\\System32\\whoami.exe', ProcessId: '0x2bc', CommandLine: 'whoami' }),
      // The same image and PID a minute later is another process, which only Security saw.
      security('2024-05-06 10:01:00', { NewProcessId: '0x2bc', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ProcessId: '0x1f4', CommandLine: 'cmd.exe /c ver' }),
    ].join('\n')}\n`);
    const db = openStore(join(tempDir(), 'twins.db'));
    const summary = await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
    expect(summary.events.DeviceProcessEvents).toBe(5);
    const listed = searchProcesses(db, { deviceId: 'twin-host', limit: 100 }).items;
    expect(listed.map((p) => [p.key.replace(/:\d+$/, ':t'), p.commandLine])).toEqual([
      ['twin-host:700:t', 'cmd.exe /c ver'],
      ['twin-host:u:{twin-2}', 'whoami'],
      ['twin-host:u:{twin-1}', 'cmd.exe /c dir'],
    ]);
    for (const key of ['twin-host:u:{twin-1}', 'twin-host:u:{twin-2}']) {
      const detail = getProcess(db, key);
      const sameStart = detail.events.filter((e) => e.relation === 'same-start');
      expect(sameStart).toHaveLength(1);
      expect(sameStart[0]?.columns).toMatchObject({ EventID: '4688' });
    }
    expect(getProcess(db, listed[0]!.key).events.filter((e) => e.relation === 'same-start')).toEqual([]);
    // The whoami.exe Sysmon lost the PID of shows its 4688's, and a search by that PID finds it.
    expect([listed[1]?.pid, getProcess(db, 'twin-host:u:{twin-2}').pid]).toEqual([800, 800]);
    expect(searchProcesses(db, { deviceId: 'twin-host', pid: 800, limit: 10 }).items.map((p) => p.key)).toEqual(['twin-host:u:{twin-2}']);
    expect(searchProcesses(db, { deviceId: 'twin-host', pid: 700, limit: 10 }).items.map((p) => p.key)).toEqual([listed[0]!.key, 'twin-host:u:{twin-1}']);
    db.close();
  });

  it('a process whose start came in a stream export and whose child in a portal CSV (milliseconds) is one node, in either order', async () => {
    const dir = tempDir();
    const stream = join(dir, 'DeviceProcessEvents.json');
    const portal = join(dir, 'DeviceProcessEvents.csv');
    const start = { DeviceId: 'mixed-1', DeviceName: 'ws1', ActionType: 'ProcessCreated', ReportId: 7, InitiatingProcessId: 4,
      InitiatingProcessFileName: 'userinit.exe', InitiatingProcessCreationTime: '2025-02-25T19:59:59.5000000Z' };
    writeFileSync(stream, formatRows('mde-ndjson', 'DeviceProcessEvents', [{ ...start, Timestamp: '2025-02-25T20:00:00.1234567Z',
      FileName: 'explorer.exe', ProcessId: 50, ProcessCreationTime: '2025-02-25T20:00:00.1234567Z', ProcessCommandLine: 'explorer.exe' }]));
    // The portal writes every time column in the browser's regional form, cut to the millisecond.
    writeFileSync(portal, formatRows('mde-csv', 'DeviceProcessEvents', [{ ...start, ReportId: 42, Timestamp: '2/25/2025, 9:19:25.391 PM',
      FileName: 'cmd.exe', ProcessId: 100, ProcessCreationTime: '2/25/2025, 9:19:25.390 PM', ProcessCommandLine: 'cmd.exe /c whoami',
      InitiatingProcessId: 50, InitiatingProcessFileName: 'explorer.exe', InitiatingProcessCreationTime: '2/25/2025, 8:00:00.123 PM' }]));
    for (const order of [[stream, portal], [portal, stream]]) {
      const db = openStore(join(dir, `${basename(order[0]!)}.db`));
      for (const file of order) await ingestPaths([file], { sink: createIngestSink(db), workers: 0 });
      const [child] = searchProcesses(db, { deviceId: 'mixed-1', q: 'cmd.exe', limit: 5 }).items;
      const graph = processLineage(db, child!.key, { ancestors: 2, descendants: 0, maxNodes: 10 });
      const explorer = graph.nodes.filter((node) => node.label.startsWith('explorer.exe'));
      expect(explorer, order.map((file) => basename(file)).join(' then ')).toHaveLength(1);
      expect(explorer[0]?.data).toMatchObject({ observed: true, commandLine: 'explorer.exe' });
      expect(graph.edges.some((edge) => edge.source === explorer[0]?.id && edge.target === child!.key)).toBe(true);
      db.close();
    }
  });
});
