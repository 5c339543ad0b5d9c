// Sysmon and Security events converted from EVTX (the corpus `.jsonl` files): they ingest into the same store, and
// the impacket MMC20 recording shows DcomLaunch -> mmc.exe -> cmd.exe with the connection hop missing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLineage, explainLineage } from '../../src/detect';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink, openStore } from '../../src/store';
import { corpusFile, HAS_CORPUS } from '../helpers/corpus';
import { useTempDirs } from '../helpers/temp-dir';

describe.skipIf(!HAS_CORPUS)('corpus: Windows event logs converted from EVTX', () => {
  const tempDir = useTempDirs();

  it('ingest every record they hold, skipping the event ids Lineage does not read', async () => {
    const db = openStore(join(tempDir(), 'l.db'));
    const summary = await ingestPaths([corpusFile('evtx-attack-samples'), corpusFile('evtx-to-mitre-attack')], { sink: createIngestSink(db), workers: 0 });
    expect(summary.rejects).toBe(0);
    expect(summary.filesFailed).toBe(0);
    expect(summary.events).toEqual({ DeviceProcessEvents: 15, DeviceNetworkEvents: 8 });
    expect(summary.skippedByTable).toEqual({ 'System 10016': 4, 'Security 4663': 6, 'Security 4624': 3, 'Security 4674': 6 });
    // The binary .evtx files beside them are not read (no EVTX parser yet): passed over, not failed.
    expect(summary.filesPassedOver).toBe(7);
    db.close();
  });

  it('impacket dcomexec MMC20: DcomLaunch -> mmc.exe -Embedding -> cmd.exe, the connection hop missing', async () => {
    const db = openStore(join(tempDir(), 'l.db'));
    await ingestPaths([corpusFile('evtx-attack-samples', 'Lateral Movement', 'LM_impacket_docmexec_mmc_sysmon_01.jsonl')], { sink: createIngestSink(db), workers: 0 });
    expect(detectLineage(db)).toEqual([]);
    const misses = explainLineage(db);
    expect(misses).toHaveLength(1);
    expect(misses[0]).toMatchObject({
      deviceName: 'IEWIN7', step: 'rpcssConnection', missingHop: true, hopsPresent: 2,
      comServer: { pid: 3572, commandLine: 'C:\\Windows\\system32\\mmc.exe -Embedding' },
      dcomLaunchHost: { pid: 612, fileName: 'svchost.exe' },
    });
    expect(misses[0]?.reason).toMatch(/^missing hop: inbound connection/);
    expect(misses[0]?.children.map((c) => c.fileName)).toEqual(['cmd.exe', 'cmd.exe', 'cmd.exe']);
    db.close();
  });
});
