// A parsed chunk is bounded in bytes as well as in events: rows of hundreds of KB (odd or hostile input) are handed
// on in chunks of about 32 MB, not 2,000 of them at once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/ingest/parse-file';
import { MAX_CHUNK_BYTES } from '../../src/ingest/parsed-chunk';
import { fullRow } from '../helpers/mde-fixture-rows';
import { useTempDirs } from '../helpers/temp-dir';

describe('parsed chunks', () => {
  const tempDir = useTempDirs();

  it('are handed on at about 32 MB of content, whatever their event count', async () => {
    const path = join(tempDir(), 'DeviceProcessEvents.json');
    const pad = 'p'.repeat(400_000);
    const lines = Array.from({ length: 240 }, (_, i) => JSON.stringify(fullRow('DeviceProcessEvents', i % 3, { ReportId: i, AdditionalFields: JSON.stringify({ pad }) })));
    // Rejects count too: their raw text is kept.
    for (let i = 0; i < 60; i++) lines.push(`{"broken": "${pad}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const sizes: number[] = [];
    let events = 0;
    let issues = 0;
    for await (const event of parseFile(path, path, { format: 'auto', table: null })) {
      if (event.type !== 'chunk') continue;
      const { chunk } = event;
      sizes.push(chunk.columns.byteLength + chunk.issues.reduce((sum, issue) => sum + issue.raw.length, 0));
      events += chunk.events.length;
      issues += chunk.issues.length;
    }
    expect(events).toBe(240);
    expect(issues).toBe(60);
    expect(sizes.length).toBeGreaterThan(3);
    // At most one read (1 MB) of rows past the bound before the check.
    for (const size of sizes) expect(size).toBeLessThan(MAX_CHUNK_BYTES + 2 * 2 ** 20);
  });
});
