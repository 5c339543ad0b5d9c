// `npm test`: type-check, build the bundle the CLI tests run, run vitest, and end with one plain summary line
// ("vitest: N passed, N failed, N skipped") that CI can read whatever reporter vitest uses.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (run('npx', ['tsc', '--noEmit']) !== 0) process.exit(1);
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
const report = '.vitest-report.json';
rmSync(report, { force: true });
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...process.argv.slice(2)]);
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = result.numPendingTests + result.numTodoTests;
  console.log(`vitest: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(status);
