// Detection benchmark: `lineage detect` in both modes over the ingested store, next to DuckDB running the rule as
// SQL over the same events in its own on-disk database, each timed as a whole process, in the same run.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { settleDisk } from './ingest-bench';

interface Timed { seconds: number; stdout: string }

function timeProcess(args: string[]): Timed {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
  return { seconds: (performance.now() - started) / 1000, stdout: child.stdout };
}

/**
 * The fastest of `rounds` runs of each command, the commands taken in turn round by round: this machine's speed
 * drifts within seconds, and interleaving gives each command the same phases.
 */
function bestInterleaved(rounds: number, commands: readonly string[][]): Timed[] {
  const fastest: Array<Timed | null> = commands.map(() => null);
  for (let round = 0; round < rounds; round++) {
    commands.forEach((args, i) => {
      const run = timeProcess(args);
      const best = fastest[i];
      if (!best || run.seconds < best.seconds) fastest[i] = run;
    });
  }
  return fastest as Timed[];
}

export async function benchDetect(dir: string, files: readonly string[], store: string, events: number): Promise<void> {
  const duckFile = join(dir, 'duck.db');
  const loadStart = performance.now();
  const instance = await DuckDBInstance.create(duckFile);
  const connection = await instance.connect();
  const [processFile, networkFile] = files;
  for (const [table, file] of [['proc', processFile], ['net', networkFile]] as const) {
    await connection.run(`CREATE TABLE ${table} AS SELECT *, CAST(Timestamp AS TIMESTAMP) AS ts FROM read_json_auto('${file}', format = 'newline_delimited', sample_size = 20000)`);
  }
  connection.closeSync();
  instance.closeSync();
  console.log(`detect: ${events.toLocaleString('en-US')} events; DuckDB load into its own database ${((performance.now() - loadStart) / 1000).toFixed(1)} s (not counted below)`);
  settleDisk();
  const modes = ['sentinel', 'lineage'] as const;
  const [duck, ...runs] = bestInterleaved(5, [
    ['bench/duckdb-query.mjs', duckFile, 'bench/duckdb-rule.sql'],
    ...modes.map((mode) => ['bin/lineage.js', 'detect', '--db', store, '--mode', mode, '--format', 'ndjson']),
  ]) as [Timed, ...Timed[]];
  console.log(`  DuckDB, the rule as SQL (whole process)      ${duck.seconds.toFixed(3)} s  ${duck.stdout.trim()} rows  (each: the fastest of 5 runs, the three commands in turn)`);
  for (const [i, mode] of modes.entries()) {
    const run = runs[i] as Timed;
    const rows = run.stdout.trim() === '' ? 0 : run.stdout.trim().split('\n').length;
    console.log(`  lineage detect --mode ${mode.padEnd(8)} (whole process)  ${run.seconds.toFixed(3)} s  ${rows} rows  = ${(duck.seconds / run.seconds).toFixed(2)}x DuckDB's speed (target >= 2x)`);
  }
}
