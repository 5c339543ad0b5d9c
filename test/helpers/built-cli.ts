// Runs the built `lineage` command (bin/lineage.js -> dist/cli.js) as a user would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/lineage.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lineage ...args` to completion. */
export function runLineage(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input, encoding: 'utf8', cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env }, maxBuffer: 1 << 26, timeout: options.timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `lineage ...args` in the background. */
export function startLineage(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}
