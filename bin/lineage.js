#!/usr/bin/env node
// The `lineage` command: runs the bundle that `npm install` (prepare) or `npm run build` wrote to dist/. CommonJS
// (bin/package.json), like the bundle: a command's start-up is part of its time (see scripts/build.mjs).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('lineage: not built yet; run `npm run build` in the project folder\n');
  process.exit(1);
}
require(bundle);
