// `lineage detect` and `lineage explain` as a user runs them on the bundled sample.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLineage } from '../helpers/built-cli';
import { useTempDirs } from '../helpers/temp-dir';

describe('lineage detect / explain', () => {
  const tempDir = useTempDirs();

  it('finds the sample\'s planted attacks in both modes, in every format, and explains the near misses', () => {
    const db = join(tempDir(), 'l.db');
    expect(runLineage(['ingest', 'data/samples', '--db', db]).status).toBe(0);
    const json = runLineage(['detect', '--db', db, '--format', 'json']);
    expect(json.status, json.stderr).toBe(0);
    const alerts = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(alerts.length).toBe(14);
    for (const key of ['id', 'deviceId', 'deviceName', 'connections', 'rpcssHost', 'dcomLaunchHost', 'comServer', 'children', 'bootTime']) {
      expect(alerts[0], key).toHaveProperty(key);
    }
    expect(alerts[0]?.comServer).toEqual(expect.objectContaining({ pid: expect.any(Number), fileName: expect.any(String), commandLine: expect.any(String), createdAt: expect.any(String) }));
    const ndjson = runLineage(['detect', '--db', db, '--format', 'ndjson']);
    expect(ndjson.stdout.trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(alerts.map((a) => a.id));
    // --from/--to take a date alone as its midnight UTC.
    const morning = JSON.parse(runLineage(['detect', '--db', db, '--format', 'json', '--from', '2024-05-06', '--to', '2024-05-06T12:00:00Z']).stdout) as typeof alerts;
    const expected = alerts.filter((a) => String(a.time) >= '2024-05-06' && String(a.time) < '2024-05-06T12').map((a) => a.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(alerts.length);
    expect(morning.map((a) => a.id)).toEqual(expected);
    const table = runLineage(['detect', '--db', db]);
    expect(table.stdout).toMatch(/14 alert\(s\)/);

    const sentinel = runLineage(['detect', '--db', db, '--mode', 'sentinel', '--format', 'json']);
    const rows = JSON.parse(sentinel.stdout) as Array<Record<string, unknown>>;
    expect(Object.keys(rows[0] ?? {})).toEqual(['TimestampNetwEventExact', 'TimestampProcEventExact', 'DeviceId', 'DeviceName', 'InitiatingProcessId',
      'LocalIP', 'RemoteIP', 'LastBootTime', 'DCOMCmdLine', 'set_ProcessCommandLine']);
    expect(rows[0]?.TimestampProcEventExact).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    const scheduled = JSON.parse(runLineage(['detect', '--db', db, '--mode', 'sentinel', '--schedule', '1h', '--format', 'json']).stdout) as Array<Record<string, unknown>>;
    expect(scheduled.length).toBeLessThan(rows.length);
    expect(scheduled[0]).toHaveProperty('windowStart');

    const compare = JSON.parse(runLineage(['detect', '--db', db, '--compare', '--format', 'json']).stdout) as { differences: Array<{ only: string; reason: string }> };
    expect(compare.differences.some((d) => d.only === 'lineage' && /LastBootTime is null/.test(d.reason))).toBe(true);
    expect(compare.differences.some((d) => d.only === 'sentinel' && /not an inbound connection/.test(d.reason))).toBe(true);

    const explain = JSON.parse(runLineage(['explain', '--db', db, '--format', 'json']).stdout) as Array<{ reason: string; deviceId: string; deviceName: string }>;
    expect(explain.map((m) => m.reason)).toEqual(expect.arrayContaining(['inside the boot grace period', 'allow-listed COM server']));
    const device = explain[0]!.deviceId;
    const oneDevice = JSON.parse(runLineage(['explain', '--db', db, '--device', device, '--format', 'json']).stdout) as typeof explain;
    expect(oneDevice.length).toBeGreaterThan(0);
    expect(oneDevice).toEqual(explain.filter((m) => m.deviceId === device));
    // --device also takes a DeviceName that only one device has, in any case; a device the store lacks is a usage error.
    const name = explain.find((m) => m.deviceId === device)!.deviceName;
    const byName = runLineage(['explain', '--db', db, '--device', name.toUpperCase(), '--format', 'json']);
    expect(byName.status, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout)).toEqual(oneDevice);
    const unknown = runLineage(['explain', '--db', db, '--device', 'no-such-host']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--device: no device has the DeviceId or DeviceName no-such-host/);
  });

  it('bad parameters are usage errors (exit 2) naming the parameter', () => {
    const db = join(tempDir(), 'l.db');
    expect(runLineage(['ingest', 'data/samples/DeviceNetworkEvents.json', '--db', db]).status).toBe(0);
    for (const [args, pattern] of [
      [['--mode', 'kql'], /--mode/], [['--from', 'yesterday'], /--from/], [['--window-max', 'soon'], /--window-max/],
      [['--schedule', '1h'], /--mode sentinel/], [['--allow-list', '/nonexistent.json'], /--allow-list/],
      [['--from', '2024-05-07T00:00:00Z', '--to', '2024-05-06T00:00:00Z'], /--to/],
    ] as const) {
      const result = runLineage(['detect', '--db', db, ...args]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(pattern);
    }
    expect(runLineage(['detect', '--db', join(tempDir(), 'none.db')]).status).toBe(2);
  });
});
