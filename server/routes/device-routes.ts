// GET /devices, GET /devices/{deviceId}/processes, GET /processes/{key}, GET /processes/{key}/lineage.
import { Router } from 'express';
import type { MatchIndex } from '../../src/detect';
import { getProcess, processLineage, searchProcesses } from '../../src/queries';
import { readDeviceSummaries, type Store } from '../../src/store';
import { idParam, lineageQuery, processSearchQuery } from '../schemas';
import { validate } from '../validate';
import { requireKnownDevice } from './known-device';

export function deviceRoutes(db: Store, index: MatchIndex): Router {
  const router = Router();
  router.get('/devices', (_req, res) => {
    const counts = index.alertCounts();
    res.json({ items: readDeviceSummaries(db).map((d) => ({ ...d, alerts: counts.get(d.deviceId) ?? 0 })), nextCursor: null });
  });
  router.get('/devices/:deviceId/processes', (req, res) => {
    const deviceId = validate(idParam, req.params.deviceId, 'processes');
    requireKnownDevice(db, deviceId, 'processes');
    const query = validate(processSearchQuery, req.query, 'processes');
    res.json(searchProcesses(db, { deviceId, q: query.q, pid: query.pid, from: query.from ?? null, to: query.to ?? null, limit: query.limit, cursor: query.cursor ?? null }));
  });
  router.get('/processes/:key', (req, res) => {
    res.json(getProcess(db, validate(idParam, req.params.key, 'processes')));
  });
  router.get('/processes/:key/lineage', (req, res) => {
    const key = validate(idParam, req.params.key, 'lineage');
    res.json(processLineage(db, key, validate(lineageQuery, req.query, 'lineage')));
  });
  return router;
}
