// `lineage serve` as `npm start` runs it: the built command serves the page, its bundle and the API on 127.0.0.1,
// refuses a non-loopback host without a token, and stops on SIGTERM.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLineage, startLineage } from '../helpers/built-cli';
import { useTempDirs } from '../helpers/temp-dir';

describe('lineage serve', () => {
  const tempDir = useTempDirs();

  it('serves the UI and the API from the built command', async () => {
    const db = join(tempDir(), 'l.db');
    expect(runLineage(['ingest', 'data/samples', '--db', db]).status).toBe(0);
    const port = 7400 + Math.floor(Math.random() * 500);
    const server = startLineage(['serve', '--db', db, '--port', String(port)]);
    let stderr = '';
    server.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    try {
      await expect.poll(() => stderr, { timeout: 15_000 }).toMatch(/serving/);
      const base = `http://127.0.0.1:${port}`;
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script src="\/app\.js" defer><\/script>/);
      expect((await fetch(`${base}/app.js`)).status).toBe(200);
      expect((await fetch(`${base}/style.css`)).status).toBe(200);
      const matches = await (await fetch(`${base}/api/v1/matches`)).json() as { items: unknown[] };
      expect(matches.items).toHaveLength(14);
    } finally {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    const open = runLineage(['serve', '--db', db, '--host', '0.0.0.0']);
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/give --token/);
  });

  it('a port already in use fails the command (exit 2), instead of reporting it as served', async () => {
    const db = join(tempDir(), 'l.db');
    expect(runLineage(['ingest', 'data/samples', '--db', db]).status).toBe(0);
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      // Bounded: a command that wrongly went on serving would otherwise never return.
      const result = runLineage(['serve', '--db', db, '--port', String(port)], { timeoutMs: 15_000 });
      expect(result.stderr).not.toMatch(/serving/);
      expect(result.stderr).toMatch(new RegExp(`serve: cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE`));
      expect(result.status).toBe(2);
    } finally {
      other.close();
    }
  });
});
