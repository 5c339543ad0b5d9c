// The MDE-format references of the shared corpus (real vendor samples and documentation examples) ingest as
// the corpus README describes them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetworkEvent, ProcessEvent } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink, openStore, readStats } from '../../src/store';
import { corpusFile, HAS_CORPUS } from '../helpers/corpus';
import { parseText } from '../helpers/parse-text';
import { readFileSync } from 'node:fs';
import { useTempDirs } from '../helpers/temp-dir';

const SAMPLES = 'mde-format-samples';

describe.skipIf(!HAS_CORPUS)('corpus: MDE format samples', () => {
  const tempDir = useTempDirs();
  const parseCorpus = (path: string, table: 'DeviceProcessEvents' | null = null) =>
    parseText(tempDir(), 'sample.json', readFileSync(path), { table });

  it('Elastic streaming records: a DcomLaunch child (smartscreen -Embedding) and a network event', async () => {
    const parsed = await parseCorpus(corpusFile(SAMPLES, 'elastic-integrations-m365_defender', 'test-device.log.excerpt.jsonl'));
    expect(parsed.format).toBe('mde-stream');
    expect(parsed.issues).toEqual([]);
    const process = parsed.events.find((e): e is ProcessEvent => e.kind === 'process');
    expect(process).toMatchObject({ pid: 6412, fileName: 'smartscreen.exe', commandLine: 'smartscreen.exe -Embedding',
      initiatorPid: 996, initiatorCommandLine: 'svchost.exe -k DcomLaunch -p', parentPid: 852, parentFileName: 'services.exe' });
    expect(parsed.events.filter((e): e is NetworkEvent => e.kind === 'network')).toHaveLength(1);
  });

  it('Splunk README streaming record, pretty-printed', async () => {
    const parsed = await parseCorpus(corpusFile(SAMPLES, 'splunk-TA-m365-defender-advanced-hunting', 'README-DeviceProcessEvents-streaming-sample.json'));
    expect(parsed.issues).toEqual([]);
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({ pid: 40288, fileName: 'whoami.exe', deviceName: 'bobslaptop.example.com', timeText: '2021-04-14T18:49:17.7849324Z' });
  });

  it('documentation API responses: the table must be named; a row without a device is rejected', async () => {
    const api = await parseCorpus(corpusFile(SAMPLES, 'microsoft-docs', 'run-advanced-query-api.response-example.json'));
    expect(api.issues.map((i) => i.message)).toEqual([expect.stringMatching(/cannot tell the table/), expect.stringMatching(/cannot tell the table/)]);
    const named = await parseCorpus(corpusFile(SAMPLES, 'microsoft-docs', 'run-advanced-query-api.response-example.json'), 'DeviceProcessEvents');
    expect(named.events.map((e) => (e as ProcessEvent).fileName)).toEqual(['csc.exe', 'csc.exe']);
    const graph = await parseCorpus(corpusFile(SAMPLES, 'microsoft-docs', 'graph-security-runHuntingQuery.response-example-3-capitalized-schema.json'), 'DeviceProcessEvents');
    expect(graph.issues.map((i) => i.message)).toEqual(['missing DeviceId and DeviceName', 'missing DeviceId and DeviceName']);
  });

  it('a whole folder and the M365D union export: other tables skipped, nothing lost', async () => {
    const dir = tempDir();
    const db = openStore(join(dir, 'l.db'));
    const summary = await ingestPaths([corpusFile(SAMPLES), corpusFile('otrf-security-datasets', 'm365d-golden-saml', 'Microsoft365DefenderEvents.json')],
      { sink: createIngestSink(db), workers: 0 });
    expect(summary.filesFailed).toBe(0);
    expect(summary.events).toEqual({ DeviceProcessEvents: 2, DeviceNetworkEvents: 1 });
    expect(summary.skipped).toBe(9);
    expect(summary.rejects).toBe(6);
    expect(readStats(db).rejects).toBe(6);
  });
});
