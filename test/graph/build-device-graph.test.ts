// The provenance graph: three generations per event merged, PID reuse as distinct nodes, connections on owners,
// bounded traversals.
import { describe, expect, it } from 'vitest';
import { processKey, parseTime } from '../../src/domain';
import { ancestorsOf, buildDeviceGraph, childrenOf, connectionsOf, descendantsOf, parentOf, type ProcessNode } from '../../src/graph';
import { DCOMLAUNCH, networkEvent, processEvent, RPCSS, SERVICES } from '../helpers/events';

const key = (pid: number, created: string) => processKey({ deviceId: 'dev1', pid, createdAt: parseTime(created)!.ticks });

describe('buildDeviceGraph', () => {
  it('three generations per event, merged with what other events say about the same process', () => {
    const mmc = processEvent({ time: '2024-01-01T10:00:01Z', pid: 3000, file: 'mmc.exe', cmd: 'mmc.exe -Embedding', parent: DCOMLAUNCH, grandparent: SERVICES });
    const cmd = processEvent({ time: '2024-01-01T10:00:02Z', pid: 3100, file: 'cmd.exe', cmd: 'cmd /c whoami', parent: { pid: 3000, file: 'mmc.exe', cmd: 'mmc.exe -Embedding', created: '2024-01-01T10:00:01Z' }, grandparent: { pid: 900, file: 'svchost.exe', created: DCOMLAUNCH.created } });
    const graph = buildDeviceGraph({ deviceId: 'dev1', deviceName: 'ws1', processes: [cmd, mmc], network: [], boots: [] });
    const mmcKey = key(3000, '2024-01-01T10:00:01Z');
    const node = graph.getNodeAttributes(mmcKey) as ProcessNode;
    expect(node).toMatchObject({ fileName: 'mmc.exe', commandLine: 'mmc.exe -Embedding', observed: true });
    expect(node.eventIds.sort()).toEqual([mmc.id, cmd.id].sort());
    expect(parentOf(graph, mmcKey)).toBe(key(900, DCOMLAUNCH.created));
    expect((graph.getNodeAttributes(key(900, DCOMLAUNCH.created)) as ProcessNode).serviceGroup).toBe('dcomlaunch');
    expect(ancestorsOf(graph, key(3100, '2024-01-01T10:00:02Z'))).toEqual([mmcKey, key(900, DCOMLAUNCH.created), key(700, SERVICES.created)]);
    expect(graph.order).toBe(4);
  });

  it('a reused PID is a new node; children attach to the right instance', () => {
    const first = processEvent({ time: '2024-01-01T10:00:00Z', pid: 4000, file: 'mmc.exe', parent: DCOMLAUNCH });
    const second = processEvent({ time: '2024-01-01T11:00:00Z', pid: 4000, file: 'mmc.exe', parent: DCOMLAUNCH });
    const childOfSecond = processEvent({ time: '2024-01-01T11:00:05Z', pid: 4100, file: 'gpupdate.exe', parent: { pid: 4000, file: 'mmc.exe', created: '2024-01-01T11:00:00Z' } });
    const graph = buildDeviceGraph({ deviceId: 'dev1', deviceName: 'ws1', processes: [first, second, childOfSecond], network: [], boots: [] });
    expect(childrenOf(graph, key(4000, '2024-01-01T10:00:00Z'))).toEqual([]);
    expect(childrenOf(graph, key(4000, '2024-01-01T11:00:00Z'))).toEqual([key(4100, '2024-01-01T11:00:05Z')]);
  });

  it('connections hang off the process that owns them, with direction and locality derived', () => {
    const inbound = networkEvent({ time: '2024-01-01T10:00:00Z', action: 'InboundConnectionAccepted', localPort: 135, remoteIp: '::ffff:10.0.0.5', owner: RPCSS });
    const graph = buildDeviceGraph({ deviceId: 'dev1', deviceName: 'ws1', processes: [], network: [inbound], boots: [] });
    const [connection] = connectionsOf(graph, key(1000, RPCSS.created));
    expect(graph.getNodeAttributes(connection!)).toMatchObject({ kind: 'connection', direction: 'inbound', remoteIsLocal: true, localPort: 135 });
  });

  it('descendants are bounded and say when they were cut', () => {
    const events = Array.from({ length: 30 }, (_, i) => processEvent({ time: `2024-01-01T10:00:${String(i + 10).padStart(2, '0')}Z`, pid: 5000 + i * 4, file: 'cmd.exe',
      parent: { pid: 5000 + (i - 1) * 4, file: 'cmd.exe', created: `2024-01-01T10:00:${String(i + 9).padStart(2, '0')}Z` } }));
    const graph = buildDeviceGraph({ deviceId: 'dev1', deviceName: 'ws1', processes: events, network: [], boots: [] });
    const root = key(4996, '2024-01-01T10:00:09Z');
    expect(descendantsOf(graph, root).keys).toHaveLength(30);
    expect(descendantsOf(graph, root, { maxNodes: 10 })).toMatchObject({ truncated: true });
    expect(descendantsOf(graph, root, { maxNodes: 10 }).keys).toHaveLength(10);
    expect(descendantsOf(graph, root, { maxDepth: 3 }).keys).toHaveLength(3);
  });
});
