// GET /health, GET /stats.
import { Router } from 'express';
import { readStats, type Store } from '../../src/store';

export function systemRoutes(db: Store): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', schemaVersion: db.pragma('user_version', { simple: true }) as number });
  });
  router.get('/stats', (_req, res) => {
    res.json(readStats(db));
  });
  return router;
}
