// `npm run bench`: prints numbers next to baselines measured in the same run. Not a test: nothing here passes or
// fails. BENCH_EVENTS sets the size (default: at least 1,000,000 events).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchApi } from './api-bench';
import { benchDetect } from './detect-bench';
import { benchIncremental } from './incremental-bench';
import { benchIngest, benchSmallFiles } from './ingest-bench';
import { benchSimulate } from './simulate-bench';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const dir = join(process.cwd(), '.bench');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const { files, events } = benchSimulate(join(dir, 'fleet'), EVENTS);
await benchIngest(dir, files);
benchSmallFiles(dir, files);
await benchDetect(dir, files, join(dir, 'ingest-w1.db'), events);
await benchIncremental(dir, files, events);
await benchApi(dir, join(dir, 'ingest-w1.db'));
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
