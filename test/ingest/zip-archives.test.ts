// Zip archives (how OTRF Security-Datasets ships its recordings) ingest entry by entry, each entry its own source
// named `archive.zip!entry`, with the same rows as the unpacked files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest';
import { formatRows } from '../../src/simulate';
import { createIngestSink, openStore, readStats } from '../../src/store';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';
import { writeZip } from '../helpers/write-zip';

const now = () => '2026-01-01T00:00:00.000Z';

describe('ingest of zip archives', () => {
  const tempDir = useTempDirs();

  for (const workers of [0, 1] as const) {
    it(`zip-entries-as-sources (workers ${workers}): every log inside is read, a README passed over, macOS metadata skipped`, async () => {
      const dir = tempDir();
      const rows = fixtureRows();
      const network = formatRows('mde-ndjson', 'DeviceNetworkEvents', rows.DeviceNetworkEvents);
      const lines = network.trimEnd().split('\n');
      writeZip(join(dir, 'export.zip'), {
        'export/DeviceProcessEvents.csv': formatRows('mde-csv', 'DeviceProcessEvents', rows.DeviceProcessEvents),
        'export/DeviceNetworkEvents.json.gz': gzipSync(`${lines[0]}\n{"broken":\n${lines.slice(1).join('\n')}\n`),
        'export/README.txt': 'exported by hand\n',
        '__MACOSX/export/._DeviceProcessEvents.csv': Buffer.from([0, 5, 22, 7, 0, 2]),
      });
      const db = openStore(join(dir, 'l.db'));
      const summary = await ingestPaths([join(dir, 'export.zip')], { sink: createIngestSink(db), workers, now });
      expect(summary.events).toEqual({ DeviceProcessEvents: 3, DeviceNetworkEvents: 2 });
      expect([summary.files, summary.filesFailed, summary.rejects]).toEqual([1, 0, 1]);
      const archive = join(dir, 'export.zip');
      expect(summary.messages).toEqual([
        expect.stringContaining(`${archive}!export/DeviceNetworkEvents.json.gz:2: malformed JSON`),
        `ingest: ${archive}!export/README.txt: not a recognised format (tried: mde-ndjson, mde-stream, mde-api-json, mde-csv, windows-events); passed over`,
      ]);
      const sources = db.prepare('SELECT path, format FROM sources ORDER BY id').all();
      expect(sources).toEqual([
        { path: `${archive}!export/DeviceProcessEvents.csv`, format: 'mde-csv' },
        { path: `${archive}!export/DeviceNetworkEvents.json.gz`, format: 'mde-ndjson' },
      ]);
      const again = await ingestPaths([archive], { sink: createIngestSink(db), workers, now });
      expect([again.duplicates, readStats(db).events.DeviceProcessEvents]).toEqual([5, 3]);
      db.close();
    });
  }

  it('zip-on-stdin is refused with the reason, not misread', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.zip');
    writeZip(file, { 'a.json': '{}\n' });
    const { spawnSync } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const result = spawnSync(process.execPath, ['bin/lineage.js', 'ingest', '-', '--db', join(dir, 'l.db'), '--json'], { input: readFileSync(file), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain('<stdin> is a zip archive, which needs random access: pass its path instead');
  });

  it('a-corrupt-zip fails that file with a clear error and the run goes on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.zip'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]));
    const good = join(dir, 'DeviceProcessEvents.json');
    writeFileSync(good, formatRows('mde-ndjson', 'DeviceProcessEvents', fixtureRows().DeviceProcessEvents));
    const db = openStore(join(dir, 'l.db'));
    const summary = await ingestPaths([join(dir, 'bad.zip'), good], { sink: createIngestSink(db), workers: 0, now });
    expect(summary.filesFailed).toBe(1);
    expect(summary.events.DeviceProcessEvents).toBe(3);
    expect(summary.messages).toEqual([expect.stringContaining(`ingest: ${join(dir, 'bad.zip')}: not a readable zip archive`)]);
    db.close();
  });
});
