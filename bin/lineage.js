#!/usr/bin/env node
// The `lineage` command: runs the bundle that `npm install` (prepare) or `npm run build` wrote to dist/.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('lineage: not built yet; run `npm run build` in the project folder\n');
  process.exit(1);
}
await import(bundle.href);
