// Patterns are data: validated into a list of problems, compiled once, matched by the one generic matcher.
import { describe, expect, it } from 'vitest';
import { buildDeviceGraph } from '../../src/graph';
import { compilePattern, DCOM_DEFAULT_SETTINGS, DCOM_LATERAL_MOVEMENT, matchPattern, validatePattern, type Pattern } from '../../src/patterns';
import { DCOMLAUNCH, networkEvent, processEvent, RPCSS, SERVICES } from '../helpers/events';

function chainGraph(gapSeconds: number, withChild = true, rpcss: Parameters<typeof networkEvent>[0]['owner'] = RPCSS) {
  const connection = networkEvent({ time: '2024-01-01T10:00:00Z', action: 'InboundConnectionAccepted', localPort: 135, remoteIp: '203.0.113.5', owner: rpcss });
  const serverTime = new Date(Date.parse('2024-01-01T10:00:00Z') + gapSeconds * 1000).toISOString();
  const server = processEvent({ time: serverTime, pid: 3000, file: 'mmc.exe', cmd: 'mmc.exe -Embedding', parent: DCOMLAUNCH, grandparent: SERVICES });
  const child = processEvent({ time: '2024-01-01T10:00:09Z', pid: 3100, file: 'cmd.exe', parent: { pid: 3000, file: 'mmc.exe', created: serverTime } });
  return buildDeviceGraph({ deviceId: 'dev1', deviceName: 'ws1', processes: withChild ? [server, child] : [server], network: [connection], boots: [] });
}

describe('pattern validation', () => {
  it('the library pattern is valid', () => {
    expect(validatePattern(DCOM_LATERAL_MOVEMENT)).toEqual([]);
  });

  it('reports every problem instead of throwing', () => {
    const broken: Pattern = {
      ...DCOM_LATERAL_MOVEMENT,
      steps: [...DCOM_LATERAL_MOVEMENT.steps, { name: 'orphan', kind: 'process', description: 'x', checks: [{ field: 'f', op: 'nope', reason: 'r' }] }],
      links: [...DCOM_LATERAL_MOVEMENT.links, { from: 'comServer', to: 'ghost', type: 'near' }],
      anchor: 'spawnedChild',
    };
    expect(validatePattern(broken)).toEqual([
      'step orphan: unknown operator nope',
      'link comServer -> ghost: no step ghost',
      'link comServer -> ghost: near needs a horizon',
      'step orphan: not linked to the others',
      'the anchor cannot be a collecting step',
    ]);
    expect(() => compilePattern(broken)).toThrow(/invalid/);
  });
});

describe('the generic matcher', () => {
  const compiled = compilePattern(DCOM_LATERAL_MOVEMENT, DCOM_DEFAULT_SETTINGS);

  it('binds every step of a full chain', () => {
    const matches = matchPattern(chainGraph(1), compiled);
    expect(matches).toHaveLength(1);
    expect(Object.keys(matches[0]!.bindings).sort()).toEqual(['comServer', 'dcomLaunchHost', 'rpcssConnection', 'rpcssHost', 'spawnedChild']);
    expect(matches[0]!.failure).toBeNull();
  });

  it('with one failure allowed, names the condition that stopped a near miss', () => {
    expect(matchPattern(chainGraph(4), compiled)).toEqual([]);
    const [late] = matchPattern(chainGraph(4), compiled, { failureBudget: 1 });
    expect(late?.failure).toMatchObject({ step: 'comServer', reason: 'started outside the time window after the connection', missing: false });
    const [childless] = matchPattern(chainGraph(1, false), compiled, { failureBudget: 1 });
    expect(childless?.failure).toMatchObject({ step: 'spawnedChild', missing: true });
  });

  it('an RPCSS host known only from its connection is identified by image and account', () => {
    const unknown = (account: string) => chainGraph(1, true, { ...RPCSS, cmd: '', account });
    expect(matchPattern(unknown('NT AUTHORITY\\NETWORK SERVICE'), compiled)).toHaveLength(1);
    expect(matchPattern(unknown('network service'), compiled)).toHaveLength(1);
    expect(matchPattern(unknown(''), compiled), 'a source that names no account (WFP 5156)').toHaveLength(1);
    expect(matchPattern(unknown('NT AUTHORITY\\SYSTEM'), compiled)).toEqual([]);
    const [miss] = matchPattern(unknown('NT AUTHORITY\\SYSTEM'), compiled, { failureBudget: 1 });
    expect(miss?.failure).toMatchObject({ step: 'rpcssHost', reason: expect.stringMatching(/not the RPCSS service host.*NETWORK SERVICE/) });
    const known = chainGraph(1, true, { ...RPCSS, cmd: 'C:\\Windows\\system32\\svchost.exe -k netsvcs', account: 'network service' });
    expect(matchPattern(known, compiled), 'a known command line of another group decides').toEqual([]);
  });

  it('settings are data too: a wider window matches the late chain', () => {
    const wide = compilePattern(DCOM_LATERAL_MOVEMENT, { ...DCOM_DEFAULT_SETTINGS, windowMax: '5s' });
    expect(matchPattern(chainGraph(4), wide)).toHaveLength(1);
  });

  it('can start from another anchor and find a chain whose connection is missing', () => {
    const server = processEvent({ time: '2024-01-01T10:00:01Z', pid: 3000, file: 'mmc.exe', parent: DCOMLAUNCH, grandparent: SERVICES });
    const child = processEvent({ time: '2024-01-01T10:00:02Z', pid: 3100, file: 'cmd.exe', parent: { pid: 3000, file: 'mmc.exe', created: '2024-01-01T10:00:01Z' } });
    const graph = buildDeviceGraph({ deviceId: 'dev1', deviceName: 'ws1', processes: [server, child], network: [], boots: [] });
    const matches = matchPattern(graph, compiled, { failureBudget: 1, anchor: 'comServer' });
    expect(matches.map((m) => m.failure?.reason)).toEqual(['missing hop: inbound connection to the RPC endpoint mapper (port 135)']);
  });
});
