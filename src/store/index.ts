// Public face of the store: open it, write ingested events into it, read what it holds.
export { openStore, storeFiles, type Store, type OpenStoreOptions } from './open-store';
export { createIngestSink } from './create-ingest-sink';
export { readStats, type StoreStats, type RunInfo } from './read-stats';
export { MIGRATIONS } from './schema';
export { countDevices, hasDevice, hasWindowsEvents, listDevices, readDeviceEvents, storedTimeRange, type DeviceSlice } from './read-device-events';
export { readPort135ConnectionTimes, readSvchostSpawnTimes, readBoots, readSpawnedBy, countSpawnedBy, type BootRecord, type SeedTime } from './read-rule-candidates';
export { readConnectionActivationPairs, readSurvivingStarts, type ConnectionActivationPair, type PairFilter, type SurvivingStart } from './read-connection-activation-pairs';
export { readLatestStart, readProcessCreation, readProcessCreationByUniqueId, readSameStart, searchProcesses, readEventColumns, readConnectionsOf, type ProcessSearch } from './read-processes';
export { readDeviceSummaries, type DeviceSummary } from './read-device-summaries';
export { currentWatermark, hasNewChild, hasNewConnection, readChanges, type AppendedBoot, type ChangedRange, type Changes, type Watermark } from './read-changes';
