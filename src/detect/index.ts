// Public face of detection: the Sentinel rule replayed exactly, and Lineage's graph-based detection.
export { replaySentinel, compareSentinelRows } from './replay-sentinel';
export { SENTINEL_RULE, type SentinelRow, type ScheduledSentinelRow } from './sentinel-rule';
export { has, equalsIgnoreCase, bin, datetimeDiffSeconds } from './kusto';
