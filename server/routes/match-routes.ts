// GET /matches (pages, or NDJSON when asked), /matches/explain, /matches/compare, /matches/{id}, /matches/{id}/graph.
import { Router } from 'express';
import { compareModes, listMatches, matchGraph, type MatchIndex } from '../../src/detect';
import { NotFound } from '../../src/domain';
import type { Store } from '../../src/store';
import { idParam, matchesQuery, rangeQuery } from '../schemas';
import { validate } from '../validate';
import { requireKnownDevice } from './known-device';

export function matchRoutes(db: Store, index: MatchIndex): Router {
  const router = Router();
  router.get('/matches', (req, res) => {
    const query = validate(matchesQuery, req.query, 'matches');
    requireKnownDevice(db, query.deviceId, 'matches');
    const filter = { mode: query.mode, deviceId: query.deviceId, from: query.from ?? null, to: query.to ?? null };
    if (req.accepts(['application/json', 'application/x-ndjson']) === 'application/x-ndjson') {
      res.type('application/x-ndjson');
      for (const match of index.list(filter)) res.write(`${JSON.stringify(match)}\n`);
      res.end();
      return;
    }
    res.json(listMatches(index, filter, query.limit, query.cursor ?? null));
  });
  router.get('/matches/explain', async (req, res) => {
    const query = validate(rangeQuery, req.query, 'matches/explain');
    requireKnownDevice(db, query.deviceId, 'matches/explain');
    // One device's near misses are built from that device's events only; off the request thread when the index works
    // in the background (lineage serve), so a whole-store explain stalls no other request.
    res.json({ items: await index.explain({ deviceId: query.deviceId ?? null, from: query.from ?? null, to: query.to ?? null }), nextCursor: null });
  });
  router.get('/matches/compare', (req, res) => {
    const query = validate(rangeQuery, req.query, 'matches/compare');
    requireKnownDevice(db, query.deviceId, 'matches/compare');
    // The rule is replayed over every device (its `in` list spans devices), then the differences are filtered.
    const comparison = compareModes(db, { from: query.from ?? null, to: query.to ?? null });
    res.json(query.deviceId ? { ...comparison, differences: comparison.differences.filter((d) => d.deviceId === query.deviceId) } : comparison);
  });
  router.get('/matches/:id', (req, res) => {
    const id = validate(idParam, req.params.id, 'matches');
    const match = index.get(id);
    if (!match) throw new NotFound(`matches: no match ${id}`, { parameter: 'id' });
    res.json(match);
  });
  router.get('/matches/:id/graph', (req, res) => {
    const id = validate(idParam, req.params.id, 'matches');
    const match = index.get(id);
    if (!match) throw new NotFound(`matches: no match ${id}`, { parameter: 'id' });
    res.json(matchGraph(db, match));
  });
  return router;
}
