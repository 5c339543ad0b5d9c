// Bundles the CLI, its parse worker, the benchmark and the web UI with esbuild into dist/ (run by `npm install`).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones so dist/ holds only this build.
rmSync('dist/chunks', { recursive: true, force: true });

await build({
  entryPoints: {
    cli: 'src/main.ts',
    'parse-worker': 'src/ingest/parse-worker.ts',
    'match-worker': 'src/detect/match-worker.ts',
    bench: 'bench/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The web UI: one browser bundle, its page and its stylesheet, served by `lineage serve` (no CDN, no inline script).
mkdirSync('dist/client', { recursive: true });
await build({
  entryPoints: { app: 'client/main.ts' },
  outdir: 'dist/client',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
copyFileSync('client/index.html', 'dist/client/index.html');
copyFileSync('client/style.css', 'dist/client/style.css');
