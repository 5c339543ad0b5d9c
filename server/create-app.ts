// The HTTP app, built from its dependencies and apart from listen(), so tests need no port. Routes validate,
// call one src function and serialise; errors go through one handler.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { MatchIndex } from '../src/detect';
import type { Store } from '../src/store';
import { errorHandler, notFoundRoute } from './http-errors';
import { openApiDocument } from './openapi';
import { deviceRoutes } from './routes/device-routes';
import { ingestRoutes } from './routes/ingest-routes';
import { matchRoutes } from './routes/match-routes';
import { systemRoutes } from './routes/system-routes';
import { hostCheck, securityHeaders, tokenCheck } from './security';

export interface AppDeps {
  db: Store;
  /** When set, every route but /health and the page's static files needs `Authorization: Bearer <token>`. */
  token?: string | null;
  /** Host names the server answers to (DNS-rebinding defence). */
  allowedHosts?: readonly string[];
  ingestLimitBytes?: number;
  ingestPerMinute?: number;
  /** The bundled web UI, served at / when present. */
  clientDir?: string | null;
  log?: (message: string) => void;
  /** Recompute matches in a worker thread, so requests never wait for detection (lineage serve turns this on). */
  backgroundDetection?: boolean;
}

/** The express app, and how to stop what it runs besides requests (the background detection worker). */
export type LineageApp = Express & { shutdown: () => void };

export const DEFAULT_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** A worker's error crosses threads as a clone: an SQLite error arrives as `{ code }`, without its message. */
function workerErrorText(error: unknown): string {
  const cloned = error as { message?: unknown; code?: unknown } | null;
  return String(cloned?.message ?? cloned?.code ?? error);
}

export function createApp(deps: AppDeps): LineageApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use(hostCheck(deps.allowedHosts ?? DEFAULT_HOSTS));
  const log = deps.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const index = new MatchIndex(deps.db, {
    background: deps.backgroundDetection ?? false,
    onWorkerError: (error) => log(`detection: the background worker stopped (${workerErrorText(error)}); matches are now computed on the request thread`),
  });
  const api = express.Router();
  api.use(tokenCheck(deps.token ?? null, (path) => path === '/health'));
  api.get('/openapi.json', (_req, res) => { res.json(openApiDocument()); });
  api.use(systemRoutes(deps.db));
  api.use(matchRoutes(deps.db, index));
  api.use(deviceRoutes(deps.db, index));
  api.use(ingestRoutes(deps.db, deps.ingestLimitBytes ?? 64 * 1024 * 1024, deps.ingestPerMinute ?? 30));
  api.use(notFoundRoute);
  app.use('/api/v1', api);
  if (deps.clientDir && existsSync(join(deps.clientDir, 'index.html'))) {
    app.use(express.static(deps.clientDir, { index: 'index.html', fallthrough: true }));
  }
  app.use(notFoundRoute);
  app.use(errorHandler(log));
  return Object.assign(app, { shutdown: () => index.close() });
}
