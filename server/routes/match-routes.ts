// GET /matches (pages, or NDJSON when asked), /matches/explain, /matches/compare, /matches/{id}, /matches/{id}/graph.
import { Router } from 'express';
import { compareModes, explainLineage, listMatches, matchGraph, type MatchIndex } from '../../src/detect';
import { NotFound } from '../../src/domain';
import type { Store } from '../../src/store';
import { idParam, matchesQuery, rangeQuery } from '../schemas';
import { validate } from '../validate';

/** Pages of /matches kept per snapshot: a UI polling the same page gets the same bytes until the matches change. */
const MAX_CACHED_PAGES = 64;

export function matchRoutes(db: Store, index: MatchIndex): Router {
  const router = Router();
  let cachedVersion = '';
  const pages = new Map<string, string>();
  router.get('/matches', (req, res) => {
    const query = validate(matchesQuery, req.query, 'matches');
    const filter = { mode: query.mode, deviceId: query.deviceId, from: query.from ?? null, to: query.to ?? null };
    if (req.accepts(['application/json', 'application/x-ndjson']) === 'application/x-ndjson') {
      res.type('application/x-ndjson');
      for (const match of index.list(filter)) res.write(`${JSON.stringify(match)}\n`);
      res.end();
      return;
    }
    const version = index.currentVersion();
    if (version !== cachedVersion) {
      pages.clear();
      cachedVersion = version;
    }
    const key = JSON.stringify([filter.mode, filter.deviceId ?? null, String(filter.from), String(filter.to), query.limit, query.cursor ?? null]);
    let body = pages.get(key);
    if (body === undefined) {
      body = JSON.stringify(listMatches(index, filter, query.limit, query.cursor ?? null));
      if (pages.size >= MAX_CACHED_PAGES) pages.delete(pages.keys().next().value as string);
      pages.set(key, body);
    }
    res.type('application/json').send(body);
  });
  router.get('/matches/explain', (req, res) => {
    const query = validate(rangeQuery, req.query, 'matches/explain');
    const items = explainLineage(db, { from: query.from ?? null, to: query.to ?? null });
    res.json({ items: query.deviceId ? items.filter((m) => m.deviceId === query.deviceId) : items, nextCursor: null });
  });
  router.get('/matches/compare', (req, res) => {
    const query = validate(rangeQuery, req.query, 'matches/compare');
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
