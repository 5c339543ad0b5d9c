// Bundles the CLI, its parse worker and the benchmark with esbuild into dist/ (run by `npm install` via prepare).
import { build } from 'esbuild';

await build({
  entryPoints: {
    cli: 'src/main.ts',
    'parse-worker': 'src/ingest/parse-worker.ts',
    bench: 'bench/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
