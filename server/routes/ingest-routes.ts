// POST /ingest: a body in any format ingest reads, through the same pipeline, dedup and reject rules as the CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { InvalidInput } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink, type Store } from '../../src/store';

export function ingestRoutes(db: Store, limitBytes: number, perMinute: number): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 60_000, limit: perMinute, standardHeaders: 'draft-7', legacyHeaders: false,
    handler: (_req, res) => { res.status(429).json({ error: { code: 'rate_limited', message: `at most ${perMinute} ingest requests a minute` } }); },
  });
  router.post('/ingest', limiter, express.raw({ type: () => true, limit: limitBytes }), async (req, res, next) => {
    try {
      const body = req.body as Buffer;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new InvalidInput('ingest: empty body', { parameter: 'body' });
      const dir = mkdtempSync(join(tmpdir(), 'lineage-ingest-'));
      try {
        // The file name only carries the table hint, if the client gave one.
        const table = typeof req.query.table === 'string' && /^Device(Process|Network)Events$/.test(req.query.table) ? req.query.table : 'body';
        const file = join(dir, `${table}.upload`);
        writeFileSync(file, body);
        const summary = await ingestPaths([file], { sink: createIngestSink(db), workers: 0, command: 'POST /api/v1/ingest' });
        if (summary.filesFailed > 0) throw new InvalidInput(`ingest: ${summary.messages[0]?.replace(file, 'body') ?? 'unreadable body'}`, { parameter: 'body' });
        const clean = (text: string) => text.replaceAll(file, 'body');
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
