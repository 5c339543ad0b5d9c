// `npm start`: the main job on the bundled sample data: a fresh store under data/, the sample fleet ingested into
// it, DCOM lateral movement detected and compared with the Sentinel rule, then the web UI served on 127.0.0.1
// (port from PORT, default 7300) until Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const db = 'data/lineage.db';
const samples = 'data/samples';
const port = process.env.PORT ?? '7300';
const lineage = (...args) => {
  const status = spawnSync(process.execPath, ['bin/lineage.js', ...args], { stdio: 'inherit' }).status ?? 1;
  if (status !== 0) process.exit(status);
};

if (!existsSync('dist/client/app.js') && spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);
for (const suffix of ['', '-wal', '-shm', '-columns']) rmSync(db + suffix, { force: true });
lineage('ingest', samples, '--db', db);
console.log('\n== DCOM lateral movement (lineage mode)');
lineage('detect', '--db', db);
console.log('\n== where the Sentinel rule as written disagrees');
lineage('detect', '--db', db, '--compare');
console.log(`\n== open http://127.0.0.1:${port}/ (Ctrl-C to stop)`);
lineage('serve', '--db', db, '--port', port);
