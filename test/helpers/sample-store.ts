// The bundled sample fleet (data/samples) ingested into a fresh store.
import { join } from 'node:path';
import { ingestPaths } from '../../src/ingest';
import { createIngestSink, openStore, type Store } from '../../src/store';
import { PROJECT_ROOT } from './built-cli';

export async function sampleStore(dir: string): Promise<Store> {
  const db = openStore(join(dir, 'sample.db'));
  const samples = join(PROJECT_ROOT, 'data', 'samples');
  await ingestPaths([join(samples, 'DeviceProcessEvents.json'), join(samples, 'DeviceNetworkEvents.json')], { sink: createIngestSink(db), workers: 0 });
  return db;
}
