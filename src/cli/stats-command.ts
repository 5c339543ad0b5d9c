// `lineage stats`: what the store holds.
import { existsSync } from 'node:fs';
import { InvalidInput } from '../domain';
import { openStore, readStats } from '../store';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { formatStats } from './format-summary';

export function statsCommand(options: { db: string; json?: boolean }, io: CliIo): number {
  if (!existsSync(options.db)) throw new InvalidInput(`stats: no store at ${options.db} (run lineage ingest first, or pass --db)`);
  const store = openStore(options.db);
  try {
    const stats = readStats(store);
    io.stdout(options.json ? `${JSON.stringify(stats)}\n` : `${formatStats(stats, options.db)}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
