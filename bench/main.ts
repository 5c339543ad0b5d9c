// `npm run bench`: prints throughput numbers next to baselines measured in the same run. Not a test.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchIngest } from './ingest-bench';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const dir = join(process.cwd(), '.bench');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
await benchIngest(dir, ROWS);
console.log(`(bench files in ${dir}; ${statSync(dir).isDirectory() ? 'delete when done' : ''})`);
