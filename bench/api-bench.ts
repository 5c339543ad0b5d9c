// API load benchmark: requests per second and latency percentiles of GET /matches (a page of 100) and of
// GET /processes/{key}/lineage on the benchmark store, while another process ingests into the same store.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createApp } from '../server';
import { parseTime } from '../src/domain';
import { writeSimulation } from '../src/simulate';
import { settleDisk } from './ingest-bench';
import { openStore } from '../src/store';

const REQUESTS = 1000;
const CONCURRENCY = 8;

async function load(base: string, paths: readonly string[]): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      const path = paths[next++ % paths.length] as string;
      const t = performance.now();
      const response = await fetch(`${base}${path}`);
      await response.arrayBuffer();
      latencies.push(performance.now() - t);
      if (!response.ok) errors++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors };
}

export async function benchApi(dir: string, store: string): Promise<void> {
  writeSimulation(`${dir}/more`, 'mde-ndjson', { seed: 7, devices: 30, hours: 24, start: parseTime('2024-06-01T00:00:00Z')!.ticks, attacks: 14, nearMisses: 20, rate: 200 });
  settleDisk();
  const db = openStore(store);
  const app = createApp({ db, log: () => undefined, backgroundDetection: true });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const first = await (await fetch(`${base}/matches?limit=100`)).json() as { items: Array<{ comServer: { key: string } }> };
  const keys = first.items.slice(0, 20).map((a) => `/processes/${encodeURIComponent(a.comServer.key)}/lineage`);
  const ingest = spawn(process.execPath, ['bin/lineage.js', 'ingest', `${dir}/more`, '--db', store], { stdio: 'ignore' });
  const ingestDone = new Promise((resolve) => ingest.once('exit', resolve));
  console.log(`api: ${REQUESTS} requests each, ${CONCURRENCY} at a time, while another process ingests ~170k events into the store`);
  for (const [name, paths] of [['GET /matches?limit=100', ['/matches?limit=100']], ['GET /processes/{key}/lineage', keys]] as const) {
    const result = await load(base, paths);
    console.log(`  ${name.padEnd(30)} ${Math.round(result.rps)} req/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms  errors ${result.errors} (target p99 < 100 ms for /matches)`);
  }
  await ingestDone;
  app.shutdown();
  server.closeAllConnections();
  server.close();
  db.close();
}
