// The HTTP API against createApp (no port): every route, the documented errors, pagination, token and Host checks,
// and every response validated against the OpenAPI document's own schemas.
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, openApiDocument } from '../../server';
import type { Store } from '../../src/store';
import { PROJECT_ROOT } from '../helpers/built-cli';
import { sampleStore } from '../helpers/sample-store';
import { useTempDirs } from '../helpers/temp-dir';

const document = openApiDocument() as { components: { schemas: Record<string, object> }; paths: Record<string, unknown> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
for (const [name, schema] of Object.entries(document.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
function conforms(name: string, body: unknown): void {
  const validate = ajv.getSchema(`#/components/schemas/${name}`)!;
  expect(validate(body), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
}

describe('HTTP API /api/v1', () => {
  const tempDir = useTempDirs();
  let db: Store;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await sampleStore(tempDir());
    app = createApp({ db, log: () => undefined });
  });

  it('health, stats, devices, openapi', async () => {
    conforms('Health', (await request(app).get('/api/v1/health').expect(200)).body);
    const stats = (await request(app).get('/api/v1/stats').expect(200)).body;
    conforms('Stats', stats);
    expect(stats.devices).toBe(5);
    const devices = (await request(app).get('/api/v1/devices').expect(200)).body;
    conforms('DeviceList', devices);
    expect(devices.items.reduce((n: number, d: { alerts: number }) => n + d.alerts, 0)).toBe(14);
    const openapi = (await request(app).get('/api/v1/openapi.json').expect(200)).body;
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/matches', '/matches/{id}/graph', '/processes/{key}/lineage', '/ingest']));
  });

  it('matches: newest first, paginated without duplicates or gaps, in both modes; NDJSON streams them', async () => {
    for (const mode of ['lineage', 'sentinel']) {
      const all = (await request(app).get(`/api/v1/matches?mode=${mode}&limit=1000`).expect(200)).body;
      conforms('MatchPage', all);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<{ id: string }>; nextCursor: string | null } = (await request(app).get(`/api/v1/matches?mode=${mode}&limit=4${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body;
        conforms('MatchPage', page);
        seen.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.items.map((m: { id: string }) => m.id));
      expect(seen.length).toBe(mode === 'lineage' ? 14 : 16);
      const ndjson = await request(app).get(`/api/v1/matches?mode=${mode}`).set('Accept', 'application/x-ndjson').expect(200);
      expect(ndjson.headers['content-type']).toMatch(/application\/x-ndjson/);
      expect(ndjson.text.trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(seen);
    }
    const times = (await request(app).get('/api/v1/matches').expect(200)).body.items.map((m: { time: string }) => m.time);
    expect([...times].sort().reverse()).toEqual(times);
    const device = (await request(app).get('/api/v1/devices')).body.items.find((d: { alerts: number }) => d.alerts > 0);
    const filtered = (await request(app).get(`/api/v1/matches?deviceId=${device.deviceId}&from=2024-05-06T12:00:00Z&to=2024-05-07T00:00:00Z`).expect(200)).body;
    expect(filtered.items.every((m: { deviceId: string; time: string }) => m.deviceId === device.deviceId && m.time >= '2024-05-06T12')).toBe(true);
    // A date alone is that day's midnight UTC.
    const byDate = (await request(app).get(`/api/v1/matches?from=2024-05-06&to=2024-05-06T12:00:00Z`).expect(200)).body.items.map((m: { time: string }) => m.time);
    expect(byDate).toEqual(times.filter((time: string) => time >= '2024-05-06' && time < '2024-05-06T12'));
    expect((await request(app).get('/api/v1/matches?from=2024-05-07').expect(200)).body.items).toEqual([]);
    expect(byDate.length).toBeGreaterThan(0);
    expect(byDate.length).toBeLessThan(times.length);
  });

  it('one match, its evidence graph with the matched path marked, explain and compare', async () => {
    const [first] = (await request(app).get('/api/v1/matches').expect(200)).body.items;
    const match = (await request(app).get(`/api/v1/matches/${first.id}`).expect(200)).body;
    conforms('Match', match);
    const graph = (await request(app).get(`/api/v1/matches/${first.id}/graph`).expect(200)).body;
    conforms('Graph', graph);
    const roles = graph.nodes.filter((n: { matched: boolean }) => n.matched).map((n: { role?: string; kind: string }) => n.role ?? n.kind);
    expect(roles).toEqual(expect.arrayContaining(['rpcssConnection', 'rpcssHost', 'dcomLaunchHost', 'comServer', 'spawnedChild', 'remote']));
    expect(graph.edges.find((e: { kind: string }) => e.kind === 'correlated')?.label).toMatch(/^\+\d\.\d{3} s$/);
    const sentinel = (await request(app).get('/api/v1/matches?mode=sentinel&limit=1').expect(200)).body.items[0];
    const ruleGraph = (await request(app).get(`/api/v1/matches/${sentinel.id}/graph`).expect(200)).body;
    expect(ruleGraph.nodes.some((n: { role?: string }) => n.role === 'comServer')).toBe(true);
    const everything = (await request(app).get('/api/v1/matches/explain').expect(200)).body;
    conforms('NearMissList', everything);
    const oneDevice = everything.items[0].deviceId;
    const scoped = (await request(app).get(`/api/v1/matches/explain?deviceId=${oneDevice}`).expect(200)).body;
    expect(scoped.items.length).toBeGreaterThan(0);
    expect(scoped.items).toEqual(everything.items.filter((m: { deviceId: string }) => m.deviceId === oneDevice));
    const comparison = (await request(app).get('/api/v1/matches/compare').expect(200)).body;
    conforms('Comparison', comparison);
    expect(comparison.differences.length).toBeGreaterThan(0);
  });

  it('explain under lineage serve runs in a worker thread of its own and gives the same near misses', async () => {
    // A store of its own: the shared one's folder is gone after the first test, and a worker opens the store by path.
    const own = await sampleStore(tempDir());
    const served = createApp({ db: own, log: () => undefined, backgroundDetection: true });
    try {
      const inline = (await request(app).get('/api/v1/matches/explain').expect(200)).body;
      // Three at once: two run, the third waits for a slot.
      const [everything, scoped, again] = await Promise.all([
        request(served).get('/api/v1/matches/explain').expect(200),
        request(served).get(`/api/v1/matches/explain?deviceId=${inline.items[0].deviceId}`).expect(200),
        request(served).get('/api/v1/matches/explain').expect(200),
      ]);
      expect(inline.items.length).toBeGreaterThan(0);
      expect(everything.body).toEqual(inline);
      expect(again.body).toEqual(inline);
      expect(scoped.body.items).toEqual(inline.items.filter((m: { deviceId: string }) => m.deviceId === inline.items[0].deviceId));
    } finally {
      served.shutdown();
      own.close();
    }
  });

  it('process search, one process, its lineage with left-out counts', async () => {
    const match = (await request(app).get('/api/v1/matches').expect(200)).body.items.find((m: { bootTime: string | null }) => m.bootTime);
    const search = (await request(app).get(`/api/v1/devices/${match.deviceId}/processes?q=${encodeURIComponent(match.comServer.fileName)}&limit=5`).expect(200)).body;
    conforms('ProcessPage', search);
    expect(search.items.length).toBeGreaterThan(0);
    const key = encodeURIComponent(match.comServer.key);
    const detail = (await request(app).get(`/api/v1/processes/${key}`).expect(200)).body;
    conforms('ProcessDetail', detail);
    expect(detail.commandLine).toBe(match.comServer.commandLine);
    const lineage = (await request(app).get(`/api/v1/processes/${key}/lineage?ancestors=1&descendants=1&maxNodes=3`).expect(200)).body;
    conforms('LineageGraph', lineage);
    expect(lineage.truncated).toBe(true);
  });

  it('bad parameters are 400 or 404 naming the parameter, in one JSON shape, never a stack trace', async () => {
    const cases: Array<[string, number, string]> = [
      ['/api/v1/matches?mode=kql', 400, 'mode'], ['/api/v1/matches?from=yesterday', 400, 'from'], ['/api/v1/matches?limit=-1', 400, 'limit'],
      ['/api/v1/matches?limit=5000', 400, 'limit'], ['/api/v1/matches?cursor=zzz', 400, 'cursor'], ['/api/v1/matches?colour=red', 400, 'colour'],
      ['/api/v1/matches/nope', 404, 'id'], ['/api/v1/matches/nope/graph', 404, 'id'], ['/api/v1/processes/nope', 404, 'key'],
      ['/api/v1/processes/nope/lineage', 404, 'key'], ['/api/v1/devices/nope/processes', 404, 'deviceId'],
      ['/api/v1/processes/x/lineage?maxNodes=0', 400, 'maxNodes'], ['/api/v1/processes/x/lineage?maxChildren=0', 400, 'maxChildren'],
      ['/api/v1/processes/x/lineage?skip=-1', 400, 'skip'],
      ['/api/v1/matches?from=2024-05-06&to=2024-05-05T23:00:00Z', 400, 'to'], ['/api/v1/matches/explain?from=2024-05-06&to=2024-05-06', 400, 'to'],
      // A device the store lacks is named, not answered with an empty list that reads as a clean device.
      ['/api/v1/matches?deviceId=nope', 404, 'deviceId'], ['/api/v1/matches/explain?deviceId=nope', 404, 'deviceId'],
      ['/api/v1/matches/compare?deviceId=nope', 404, 'deviceId'],
    ];
    for (const [path, status, parameter] of cases) {
      const response = await request(app).get(path).expect(status);
      conforms('Error', response.body);
      expect(response.body.error.details?.parameter, path).toBe(parameter);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    const unknown = await request(app).get('/api/v1/nothing-here').expect(404);
    expect(unknown.body.error.code).toBe('not_found');
    // A path the router cannot percent-decode is the client's mistake: 400, not a 500 in the server's log.
    const undecodable = await request(app).get('/api/v1/processes/%E0%A4%A').expect(400);
    conforms('Error', undecodable.body);
    expect(undecodable.body.error).toEqual({ code: 'invalid_input', message: 'the path is not valid percent-encoded UTF-8' });
  });

  it('a 500 leaks neither stack nor path', async () => {
    const broken = createApp({ db: { pragma: () => { throw new Error('boom at /secret/path.ts:1'); } } as unknown as Store, log: () => undefined });
    const response = await request(broken).get('/api/v1/health').expect(500);
    expect(response.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
  });

  it('a damaged store (its column log cut short) is a 500 naming no file; the server log says which', async () => {
    const dir = tempDir();
    const damaged = await sampleStore(dir);
    const logged: string[] = [];
    const server = createApp({ db: damaged, log: (line) => logged.push(line) });
    const match = (await request(server).get('/api/v1/matches').expect(200)).body.items[0];
    truncateSync(join(dir, 'sample.db-columns'), 0);
    const response = await request(server).get(`/api/v1/processes/${encodeURIComponent(match.comServer.key)}`).expect(500);
    expect(response.body.error.code).toBe('store_damaged');
    expect(JSON.stringify(response.body)).not.toContain(dir);
    expect(logged.join('\n')).toContain(join(dir, 'sample.db-columns'));
    damaged.close();
  });

  it('POST /ingest: any format, same dedup and reject rules', async () => {
    const body = readFileSync(join(PROJECT_ROOT, 'data/samples/DeviceNetworkEvents.json'));
    const again = (await request(app).post('/api/v1/ingest').set('Content-Type', 'application/x-ndjson').send(body).expect(200)).body;
    conforms('IngestSummary', again);
    expect(again.events).toEqual({ DeviceProcessEvents: 0, DeviceNetworkEvents: 0 });
    expect(again.duplicates).toBeGreaterThan(100);
    const bad = (await request(app).post('/api/v1/ingest?table=DeviceProcessEvents').set('Content-Type', 'application/x-ndjson')
      .send('{"Timestamp":"2024-05-07T00:00:00Z","DeviceId":"newdev","ProcessId":4,"ReportId":1}\n{broken\n').expect(200)).body;
    expect(bad.events.DeviceProcessEvents).toBe(1);
    expect(bad.messages).toEqual([expect.stringMatching(/^body:2: malformed JSON/)]);
    const unknown = (await request(app).post('/api/v1/ingest').send('hello').expect(400)).body.error;
    expect(unknown).toMatchObject({ code: 'invalid_input', details: { parameter: 'body' } });
    expect(unknown.message).toMatch(/^ingest: body: not a recognised format \(tried: mde-ndjson/);
    const badTable = (await request(app).post('/api/v1/ingest?table=DeviceFileEvents').send(body).expect(400)).body.error;
    expect(badTable).toMatchObject({ code: 'invalid_input', details: { parameter: 'table' } });
    // ?table= is --table: rows without a Table/Type column of their own are read as that table.
    const forced = (await request(app).post('/api/v1/ingest?table=DeviceNetworkEvents').set('Content-Type', 'application/x-ndjson')
      .send('{"Timestamp":"2024-05-07T00:00:01Z","DeviceId":"newdev","LocalPort":135,"ReportId":2}\n').expect(200)).body;
    expect(forced.events).toEqual({ DeviceProcessEvents: 0, DeviceNetworkEvents: 1 });
    // ?dateOrder= is --date-order: the same ambiguous regional date, read day first.
    const csv = 'Timestamp,DeviceId,ActionType,FileName,ProcessId,ReportId\n"5/2/2025, 9:19:25.391 PM",newdev,ProcessCreated,a.exe,4,3\n';
    const dayFirst = (await request(app).post('/api/v1/ingest?dateOrder=day-first').set('Content-Type', 'text/csv').send(csv).expect(200)).body;
    expect(dayFirst.events.DeviceProcessEvents).toBe(1);
    expect(dayFirst.messages).toEqual([expect.stringMatching(/^body:2: time read as day\/month\/year/)]);
    const badOrder = (await request(app).post('/api/v1/ingest?dateOrder=ymd').send(csv).expect(400)).body.error;
    expect(badOrder).toMatchObject({ code: 'invalid_input', details: { parameter: 'dateOrder' } });
    // ?timeZone= is --time-zone: local times placed in UTC.
    const local = 'TimeGenerated [Local Time],DeviceId,ActionType,FileName,ProcessId,ReportId\n16/07/2026 20:26:12.030,newdev,ProcessCreated,a.exe,4,4\n';
    const inKolkata = (await request(app).post('/api/v1/ingest?timeZone=Asia/Kolkata').set('Content-Type', 'text/csv').send(local).expect(200)).body;
    expect(inKolkata.events.DeviceProcessEvents).toBe(1);
    const badZone = (await request(app).post('/api/v1/ingest?timeZone=Nowhere/Else').send(local).expect(400)).body.error;
    expect(badZone).toMatchObject({ code: 'invalid_input', details: { parameter: 'timeZone' } });
    const small = createApp({ db, ingestLimitBytes: 10, log: () => undefined });
    expect((await request(small).post('/api/v1/ingest').set('Content-Type', 'application/json').send('{"a":"0123456789"}').expect(413)).body.error.code).toBe('payload_too_large');
    const limited = createApp({ db, ingestPerMinute: 1, log: () => undefined });
    await request(limited).post('/api/v1/ingest').send('x');
    expect((await request(limited).post('/api/v1/ingest').send('x').expect(429)).body.error.code).toBe('rate_limited');
  });
});

describe('safe by default', () => {
  const tempDir = useTempDirs();

  it('checks the Host header, the token in constant time, and sets a strict CSP', async () => {
    const db = await sampleStore(tempDir());
    const open = createApp({ db, log: () => undefined });
    expect((await request(open).get('/api/v1/health').set('Host', 'attacker.example:7300').expect(403)).body.error.code).toBe('forbidden_host');
    await request(open).get('/api/v1/health').set('Host', 'localhost:7300').expect(200);
    const csp = (await request(open).get('/api/v1/health')).headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline/);
    const locked = createApp({ db, token: 's3cret', log: () => undefined });
    await request(locked).get('/api/v1/health').expect(200);
    expect((await request(locked).get('/api/v1/matches').expect(401)).body.error.code).toBe('unauthorized');
    await request(locked).get('/api/v1/matches').set('Authorization', 'Bearer wrong').expect(401);
    await request(locked).get('/api/v1/matches').set('Authorization', 'Bearer s3cret').expect(200);
    await request(locked).post('/api/v1/ingest').send('x').expect(401);
  });
});
