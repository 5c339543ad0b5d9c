// The lineage queries: process search with pagination, one process with its raw events, the bounded lineage graph.
import { describe, expect, it } from 'vitest';
import { InvalidInput, NotFound } from '../../src/domain';
import { detectLineage } from '../../src/detect';
import { getProcess, processLineage, searchProcesses } from '../../src/queries';
import { listDevices } from '../../src/store';
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
});
