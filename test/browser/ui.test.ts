// The web UI in real headless Chromium (Debian's chromium, driven by playwright-core) against a server on the
// bundled sample: matches, the evidence graph, expand, details, deep links, PNG export, no console errors or CSP
// violations, and attacker-controlled text shown as text.
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server';
import type { Store } from '../../src/store';
import { PROJECT_ROOT } from '../helpers/built-cli';
import { sampleStore } from '../helpers/sample-store';
import { useTempDirs } from '../helpers/temp-dir';

const CHROMIUM = '/usr/bin/chromium';
const XSS = '"><img src=x onerror=alert(1)><script>window.__xss=1</script>';

interface DrawnNode { id: string; kind: string; role: string; matched: boolean; selected: boolean; label: string; x: number; y: number; commandLine?: string }
interface Drawn { nodes: DrawnNode[]; edges: Array<{ source: string; target: string; kind: string; matched: boolean; label: string }> }

describe('web UI', () => {
  const tempDir = useTempDirs();
  let db: Store;
  let server: Server;
  let base: string;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    if (!existsSync(join(PROJECT_ROOT, 'dist/client/app.js'))) throw new Error('build the client first (npm run build)');
    db = await sampleStore(tempDir());
    const app = createApp({ db, clientDir: join(PROJECT_ROOT, 'dist/client'), log: (m) => problems.push(m) });
    const hostile = JSON.stringify({ Timestamp: '2024-05-06T23:50:00.0000000Z', DeviceId: 'xss-device', DeviceName: '<b>evil</b>.contoso.local', ActionType: 'ProcessCreated',
      FileName: '<img src=x>.exe', ProcessId: 4444, ProcessCreationTime: '2024-05-06T23:50:00.0000000Z', ProcessCommandLine: XSS, ReportId: 1,
      InitiatingProcessId: 1000, InitiatingProcessFileName: 'explorer.exe', InitiatingProcessCreationTime: '2024-05-06T20:00:00.0000000Z' });
    await request(app).post('/api/v1/ingest?table=DeviceProcessEvents').send(`${hostile}\n`).expect(200);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 }, acceptDownloads: true });
    page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); void dialog.dismiss(); });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective}`));
    });
    await page.goto(`${base}/${path}`);
    return page;
  }

  const drawn = (page: Page): Promise<Drawn> => page.evaluate(() => (window as unknown as { lineageGraph: () => Drawn }).lineageGraph());

  it('lists the planted attacks, draws a match\'s graph with its path highlighted, shows details, deep-links and exports', async () => {
    const page = await open('');
    const rows = page.locator('[data-testid="match-list"] tr.row');
    await expect.poll(() => rows.count()).toBe(14);
    const truth = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/samples/truth.json'), 'utf8')) as { items: Array<{ malicious: boolean; remoteIp: string }> };
    const listed = await page.locator('[data-testid="match-list"]').innerText();
    for (const item of truth.items.filter((i) => i.malicious)) expect(listed).toContain(item.remoteIp);

    // The time, to the second, is never clipped.
    expect(await rows.first().locator('td').first().evaluate((cell) => cell.scrollWidth > cell.clientWidth)).toBe(false);
    await rows.first().click();
    await expect.poll(async () => (await drawn(page)).nodes.filter((n) => n.matched).length).toBeGreaterThan(4);
    const graph = await drawn(page);
    const roles = new Set(graph.nodes.filter((n) => n.matched).map((n) => n.role || n.kind));
    for (const role of ['rpcssConnection', 'rpcssHost', 'dcomLaunchHost', 'comServer', 'spawnedChild', 'remote']) expect(roles.has(role), role).toBe(true);
    expect(graph.edges.some((e) => e.kind === 'correlated' && /s$/.test(e.label))).toBe(true);
    expect(graph.edges.filter((e) => e.matched).length).toBeGreaterThan(4);

    // Keyboard: the COM server is selected; Enter opens its details with the full command line.
    const server = graph.nodes.find((n) => n.role === 'comServer')!;
    await page.locator('#cy').focus();
    await page.mouse.click(server.x + (await page.locator('#cy').boundingBox())!.x, server.y + (await page.locator('#cy').boundingBox())!.y);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="command-line"]').innerText()).toBe(server.commandLine);
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await drawn(page)).nodes.find((n) => n.selected)?.id).not.toBe(server.id);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#detail').isHidden()).toBe(true);

    // Deep link: the URL names the view, the match and the node; a new page opens the same picture.
    const link = page.url();
    expect(link).toMatch(/#\/matches\?.*match=/);
    const again = await open(link.slice(base.length + 1));
    await expect.poll(() => again.locator('[data-testid="graph-title"]').innerText()).toBe(await page.locator('[data-testid="graph-title"]').innerText());
    await expect.poll(async () => (await drawn(again)).nodes.find((n) => n.selected)?.id).toBe((await drawn(page)).nodes.find((n) => n.selected)?.id);

    // PNG export produces an image.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-png"]').click()]);
    const png = readFileSync(await download.path());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(5000);
    await again.close();
    await page.close();
    expect(problems).toEqual([]);
  });

  it('shows mode differences with reasons, and sentinel-mode rows', async () => {
    const page = await open('#/matches?compare=1');
    await expect.poll(() => page.locator('[data-testid="difference"]').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="difference"]').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/LastBootTime is null/)]));
    await page.locator('.seg button[data-value="sentinel"]').click();
    await expect.poll(() => page.locator('[data-testid="match-list"] tr.row').count()).toBe(16);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('lineage browser: a process with many children shows the first 25, and "+N more" opens the next page', async () => {
    const [deviceId, pid, created, children] = db.prepare(`SELECT d.device_id, e.init_pid, CAST(e.init_created AS TEXT), count(*)
      FROM process_events e JOIN devices d ON d.id = e.device
      WHERE EXISTS (SELECT 1 FROM process_events p WHERE p.device = e.device AND p.pid = e.init_pid AND p.created = e.init_created)
      GROUP BY e.device, e.init_pid, e.init_created ORDER BY count(*) DESC LIMIT 1`).raw().get() as [string, number, string, number];
    expect(children).toBeGreaterThan(25);
    const key = `${deviceId}:${pid}:${created}`;
    const page = await open(`#/lineage?device=${deviceId}&process=${encodeURIComponent(key)}`);
    const childrenOf = (graph: Drawn): number => graph.edges.filter((e) => e.source === key && e.kind === 'spawned').length;
    const moreOf = (graph: Drawn): DrawnNode | undefined => graph.nodes.find((n) => n.id === `more:${key}`);
    await expect.poll(async () => childrenOf(await drawn(page))).toBe(25);
    const more = moreOf(await drawn(page))!;
    expect(more.label).toBe(`+${children - 25} more`);
    // Drawn beside its children, right of the parent (left to right), not inside the parent as a compound node.
    expect(more.x).toBeGreaterThan((await drawn(page)).nodes.find((n) => n.id === key)!.x + 20);
    const box = (await page.locator('#cy').boundingBox())!;
    await page.mouse.dblclick(box.x + more.x, box.y + more.y);
    await expect.poll(async () => childrenOf(await drawn(page))).toBe(children);
    expect(moreOf(await drawn(page))).toBeUndefined();
    await page.close();
    expect(problems).toEqual([]);
  });

  it('lineage browser: search, lineage graph, expand and collapse on demand', async () => {
    const alert = (await request(base).get('/api/v1/matches')).body.items.find((a: { bootTime: string | null; children: unknown[] }) => a.bootTime && a.children.length > 1);
    const page = await open(`#/lineage?device=${alert.deviceId}&q=${encodeURIComponent(alert.comServer.fileName)}`);
    await expect.poll(() => page.locator('[data-testid="process-list"] tr.row').count()).toBeGreaterThan(0);
    // The time (to the second) and the PID are never clipped; only names and command lines may be.
    const clipped = await page.locator('[data-testid="process-list"] tr.row').first().evaluate((row) =>
      [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.scrollWidth > cell.clientWidth));
    expect(clipped).toEqual([false, false]);
    await page.locator(`[data-process-key="${alert.comServer.key}"]`).first().click();
    await expect.poll(async () => (await drawn(page)).nodes.some((n) => n.id === alert.comServer.key)).toBe(true);
    const box = (await page.locator('#cy').boundingBox())!;
    const child = (await drawn(page)).nodes.find((n) => n.id === alert.children[0].key)!;
    const before = (await drawn(page)).nodes.length;
    // Collapse the COM server, then expand it again: its children go and come back.
    const serverNode = (await drawn(page)).nodes.find((n) => n.id === alert.comServer.key)!;
    await page.mouse.dblclick(box.x + serverNode.x, box.y + serverNode.y);
    await expect.poll(async () => (await drawn(page)).nodes.some((n) => n.id === child.id)).toBe(false);
    const collapsed = await drawn(page);
    const serverAgain = collapsed.nodes.find((n) => n.id === alert.comServer.key)!;
    await page.mouse.dblclick(box.x + serverAgain.x, box.y + serverAgain.y);
    await expect.poll(async () => (await drawn(page)).nodes.some((n) => n.id === child.id)).toBe(true);
    expect((await drawn(page)).nodes.length).toBeGreaterThanOrEqual(before - 2);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('attacker-controlled text reaches the page only as text', async () => {
    const page = await open('#/lineage?device=xss-device');
    await expect.poll(() => page.locator('[data-testid="process-list"]').innerText()).toContain('<img src=x>.exe');
    await page.locator('[data-testid="process-list"] tr.row').first().click();
    await expect.poll(async () => (await drawn(page)).nodes.some((n) => n.commandLine === XSS)).toBe(true);
    const node = (await drawn(page)).nodes.find((n) => n.commandLine === XSS)!;
    const box = (await page.locator('#cy').boundingBox())!;
    await page.mouse.click(box.x + node.x, box.y + node.y);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="command-line"]').innerText()).toBe(XSS);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('an alert resting on what the data did not show says so next to its graph; its Sysmon processes open in the lineage browser', async () => {
    // A Sysmon chain whose connection is timed by Sysmon 3 alone (and whose RPCSS host is known by image and account).
    let n = 0;
    const sysmon = (id: number, utc: string, data: Record<string, unknown>) => JSON.stringify({ ProviderName: 'Microsoft-Windows-Sysmon', EventID: String(id),
      TimeCreated: utc, EventRecordID: String(++n), Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'NOTES-HOST', EventData: { UtcTime: utc, ...data } });
    const lines = [
      sysmon(3, '2024-05-06 23:55:00.100', { ProcessGuid: '{n-1}', ProcessId: '996', Image: 'C:\\Windows\\System32\\svchost.exe', User: 'NT AUTHORITY\\NETWORK SERVICE',
        Initiated: 'false', SourceIp: '10.9.9.9', SourcePort: '50000', DestinationIp: '10.9.9.10', DestinationPort: '135' }),
      sysmon(1, '2024-05-06 23:55:00.700', { ProcessGuid: '{n-3}', ProcessId: '3572', Image: 'C:\\Windows\\System32\\mmc.exe', CommandLine: 'mmc.exe -Embedding',
        ParentProcessGuid: '{n-2}', ParentProcessId: '612', ParentImage: 'C:\\Windows\\System32\\svchost.exe', ParentCommandLine: 'svchost.exe -k DcomLaunch -p' }),
      sysmon(1, '2024-05-06 23:55:01.000', { ProcessGuid: '{n-4}', ProcessId: '4242', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c whoami',
        ParentProcessGuid: '{n-3}', ParentProcessId: '3572', ParentImage: 'C:\\Windows\\System32\\mmc.exe' }),
    ];
    await request(base).post('/api/v1/ingest').set('Host', new URL(base).host).send(`${lines.join('\n')}\n`).expect(200);
    let id = '';
    await expect.poll(async () => {
      const body = (await request(base).get('/api/v1/matches?deviceId=notes-host').set('Host', new URL(base).host)).body as { items: Array<{ id: string }> };
      id = body.items[0]?.id ?? '';
      return id;
    }, { timeout: 10_000, interval: 500 }).not.toBe('');
    const page = await open(`#/matches?match=${encodeURIComponent(id)}`);
    await expect.poll(() => page.locator('[data-testid="graph-notes"]').innerText()).toContain('Sysmon');
    expect(await page.locator('[data-testid="graph-notes"]').innerText()).toContain('RPCSS host\'s command line is not in the data');
    // The notes make the toolbar taller: the graph gives up that height, and its legend stays on screen.
    await expect.poll(async () => {
      const legend = await page.locator('#legend').boundingBox();
      return legend ? Math.round(legend.y + legend.height) : Infinity;
    }).toBeLessThanOrEqual(900);
    await page.close();
    // Sysmon processes are keyed by their ProcessGuid (device:u:guid): the lineage browser opens them too.
    const lineage = await open(`#/lineage?device=notes-host&process=${encodeURIComponent('notes-host:u:{n-3}')}`);
    await expect.poll(async () => (await drawn(lineage)).nodes.map((node) => node.id)).toEqual(expect.arrayContaining(['notes-host:u:{n-3}', 'notes-host:u:{n-4}']));
    await lineage.close();
    expect(problems).toEqual([]);
  });

  it('a server started with --token asks for it, says when it is refused, and keeps it for the tab', async () => {
    const locked = createApp({ db, token: 'sekret', clientDir: join(PROJECT_ROOT, 'dist/client'), log: (m) => problems.push(m) });
    const lockedServer = locked.listen(0, '127.0.0.1');
    await new Promise((resolve) => lockedServer.once('listening', resolve));
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    // The 401s before the token is given are logged by the browser; every other console error is a problem.
    page.on('console', (message) => { if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(`console error: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    try {
      await page.goto(`http://127.0.0.1:${(lockedServer.address() as AddressInfo).port}/`);
      const reason = page.locator('[data-testid="token-reason"]');
      await expect.poll(() => reason.count()).toBe(1);
      expect(await reason.innerText()).toMatch(/^this server needs its access token/);
      await page.fill('[data-testid="token-input"]', 'wrong');
      await page.click('text=use token');
      await expect.poll(() => reason.innerText()).toMatch(/^the server refused that token/);
      await page.fill('[data-testid="token-input"]', 'sekret');
      await page.click('text=use token');
      const rows = page.locator('[data-testid="match-list"] tr.row');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(14);
      await page.reload();
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(14);
      // Kept for the tab, not in the URL.
      expect(page.url()).not.toContain('sekret');
    } finally {
      await page.close();
      lockedServer.close();
    }
    expect(problems).toEqual([]);
  });
});
