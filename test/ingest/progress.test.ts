// Progress counts bytes of the files read, so that one large file moves the bar too: it only grows, never passes
// the total, and ends at it, for plain, gzip and split files alike.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestPaths, type IngestProgress } from '../../src/ingest';
import { createIngestSink, openStore } from '../../src/store';
import { fullRow } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';

const rows = (count: number, from: number): string =>
  `${Array.from({ length: count }, (_, i) => JSON.stringify(fullRow('DeviceProcessEvents', i % 7, { ReportId: from + i, ProcessId: 4 * (from + i) }))).join('\n')}\n`;

describe('ingest progress', () => {
  const tempDir = useTempDirs();

  it('counts bytes read: growing, within the total, ending at it (plain, gzip, and a file split between workers)', async () => {
    const dir = tempDir();
    const plain = join(dir, 'a.json');
    const zipped = join(dir, 'b.json.gz');
    const large = join(dir, 'c.json');
    writeFileSync(plain, rows(300, 0));
    writeFileSync(zipped, gzipSync(rows(3_000, 10_000)));
    writeFileSync(large, rows(6_000, 20_000));
    const total = [plain, zipped, large].reduce((sum, path) => sum + statSync(path).size, 0);
    for (const workers of [0, 2]) {
      const seen: IngestProgress[] = [];
      const db = openStore(join(dir, `l${workers}.db`));
      await ingestPaths([plain, zipped, large], {
        sink: createIngestSink(db), workers, batchSize: 200, rangeBytes: 1 << 20, onProgress: (p) => seen.push({ ...p }),
      });
      db.close();
      expect(seen.every((p) => p.bytesTotal === total), `workers ${workers}`).toBe(true);
      const done = seen.map((p) => p.bytesDone);
      expect(done.every((bytes, i) => i === 0 || bytes >= done[i - 1]!), `workers ${workers}: ${done.join(' ')}`).toBe(true);
      expect(Math.max(...done)).toBe(total);
      // Between files, not only at their ends: most reports fall strictly inside a file.
      const ends = new Set([statSync(plain).size, statSync(plain).size + statSync(zipped).size, total]);
      expect(done.filter((bytes) => bytes > 0 && !ends.has(bytes)).length, `workers ${workers}`).toBeGreaterThan(10);
    }
  });
});
