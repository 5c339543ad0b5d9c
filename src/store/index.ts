// Public face of the store: open it, write ingested events into it, read what it holds.
export { openStore, type Store, type OpenStoreOptions } from './open-store';
export { createIngestSink } from './create-ingest-sink';
export { readStats, type StoreStats, type RunInfo } from './read-stats';
export { MIGRATIONS } from './schema';
