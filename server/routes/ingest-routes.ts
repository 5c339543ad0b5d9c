// POST /ingest: a body in any format ingest reads, through the same pipeline, dedup and reject rules as the CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { InvalidInput } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink, type Store } from '../../src/store';
import { ingestQuery } from '../schemas';
import { validate } from '../validate';

export function ingestRoutes(db: Store, limitBytes: number, perMinute: number): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 60_000, limit: perMinute, standardHeaders: 'draft-7', legacyHeaders: false,
    handler: (_req, res) => { res.status(429).json({ error: { code: 'rate_limited', message: `at most ${perMinute} ingest requests a minute` } }); },
  });
  router.post('/ingest', limiter, express.raw({ type: () => true, limit: limitBytes }), async (req, res, next) => {
    try {
      const { table, dateOrder, timeZone } = validate(ingestQuery, req.query, 'ingest');
      const body = req.body as Buffer;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new InvalidInput('ingest: empty body', { parameter: 'body' });
      const dir = mkdtempSync(join(tmpdir(), 'lineage-ingest-'));
      try {
        const file = join(dir, 'body.upload');
        writeFileSync(file, body);
        const summary = await ingestPaths([file], { sink: createIngestSink(db), workers: 0, table: table ?? null, yearLast: dateOrder ?? 'auto', timeZone, command: 'POST /api/v1/ingest' });
        // Messages name the body, not the server's temporary file.
        const clean = (text: string) => text.replaceAll(file, 'body');
        if (summary.filesFailed > 0) throw new InvalidInput(clean(summary.messages[0] ?? 'ingest: body: unreadable'), { parameter: 'body' });
        res.json({ ...summary, perFile: summary.perFile.map((f) => ({ ...f, path: 'body' })), messages: summary.messages.map(clean) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } catch (error) {
      next(error);
    }
  });
  return router;
}
