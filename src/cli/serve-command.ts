// `lineage serve`: the HTTP API (and the web UI when built) over a store, on 127.0.0.1 unless told otherwise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp, DEFAULT_HOSTS } from '../../server';
import { InvalidInput } from '../domain';
import { openStore } from '../store';
import type { CliIo } from './cli-io';

export interface ServeCommandOptions {
  db: string;
  host: string;
  port: number;
  token?: string;
  ingestLimitMb: number;
  allowHost?: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Where the bundled client is: dist/client (this module lives in dist/ or dist/chunks/ when bundled). */
function clientDir(): string {
  const here = import.meta.url;
  const relative = here.endsWith('.ts') ? '../../dist/client/' : here.includes('/chunks/') ? '../client/' : './client/';
  return fileURLToPath(new URL(relative, here));
}

/** Starts the server; resolves once it listens (the process then runs until stopped). */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  if (!LOOPBACK.has(options.host) && !options.token) {
    throw new InvalidInput(`serve: --host ${options.host} is reachable from other machines: give --token too`);
  }
  if (!existsSync(options.db)) throw new InvalidInput(`serve: no store at ${options.db} (run lineage ingest first, or pass --db)`);
  const db = openStore(options.db);
  const hostName = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const app = createApp({
    db, token: options.token ?? null, ingestLimitBytes: options.ingestLimitMb * 1024 * 1024, clientDir: clientDir(), backgroundDetection: true,
    allowedHosts: [...DEFAULT_HOSTS, hostName, ...(options.allowHost ?? [])],
  });
  await new Promise<void>((resolve, reject) => {
    // Express 5 passes a listen error to this callback (and only then to no 'error' listener of ours): a port in use
    // must fail the command, not be reported as served.
    const server = app.listen(options.port, options.host, (error?: NodeJS.ErrnoException) => {
      if (!error) {
        resolve();
        return;
      }
      app.shutdown(); // the background detection worker would keep the process alive
      db.close();
      reject(new InvalidInput(`serve: cannot listen on ${hostName}:${options.port}: ${error.code ?? error.message}`));
    });
    const stop = () => server.close(() => {
      app.shutdown();
      db.close();
      process.exit(0);
    });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stderr(`lineage serving ${options.db} at http://${hostName}:${options.port}/ (API: /api/v1, OpenAPI: /api/v1/openapi.json)\n`);
  return 0;
}
