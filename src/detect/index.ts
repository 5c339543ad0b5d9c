// Public face of detection: the Sentinel rule replayed exactly, and Lineage's graph-based detection.
export { replaySentinel, compareSentinelRows } from './replay-sentinel';
export { SENTINEL_RULE, type SentinelRow, type ScheduledSentinelRow } from './sentinel-rule';
export { has, equalsIgnoreCase, bin, datetimeDiffSeconds } from './kusto';
export { detectLineage, type LineageOptions } from './detect-lineage';
export { DEFAULT_ALLOW_LIST, loadAllowList, allowListPredicates, type AllowList, type AllowEntry } from './allow-list';
export type { Alert, AlertProcess, AlertConnection } from './alert';
export { explainLineage, type NearMiss } from './explain-lineage';
export { compareModes, type ModeComparison, type ModeDifference } from './compare-modes';
export { replaySentinelScheduled } from './replay-scheduled';
export { MatchIndex, matchTime, matchDevice, type Match, type SentinelMatch, type MatchFilter } from './match-index';
export { matchGraph } from './match-graph';
export { listMatches, type MatchPage } from './list-matches';
export { IncrementalLineage, type RefreshReport } from './incremental-lineage';
