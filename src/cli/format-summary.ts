// Human-readable rendering of ingest summaries and store stats for the terminal.
import type { IngestSummary } from '../ingest';
import type { StoreStats } from '../store';
import { terminalSafe } from './terminal-text';

const n = (value: number): string => value.toLocaleString('en-US');

const MAX_SKIPPED_TABLES = 8;

/** The final lines `lineage ingest` prints (without --json). */
export function formatIngestSummary(summary: IngestSummary, maxMessages = 10): string {
  const total = summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents;
  const lines = [
    `${summary.interrupted ? 'interrupted: ' : ''}ingested ${n(summary.files)} file(s) in ${summary.seconds.toFixed(2)} s (${n(summary.eventsPerSecond)} events/s): ${n(total)} new events`,
    `  DeviceProcessEvents  ${n(summary.events.DeviceProcessEvents)}`,
    `  DeviceNetworkEvents  ${n(summary.events.DeviceNetworkEvents)}`,
    `  duplicates ${n(summary.duplicates)} · rejects ${n(summary.rejects)} · skipped ${n(summary.skipped)} · warnings ${n(summary.warnings)}`
      + (summary.filesFailed ? ` · failed files ${n(summary.filesFailed)}` : '')
      + (summary.filesPassedOver ? ` · passed over ${n(summary.filesPassedOver)}` : ''),
  ];
  // A folder of Windows logs holds dozens of event kinds Lineage does not use: the largest few, then how many more.
  const skipped = Object.entries(summary.skippedByTable).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (skipped.length > 0) {
    const shown = skipped.slice(0, MAX_SKIPPED_TABLES).map(([table, count]) => `${terminalSafe(table)} ${n(count)}`).join(', ');
    const more = skipped.length - MAX_SKIPPED_TABLES;
    lines.push(`  skipped tables: ${shown}${more > 0 ? `, and ${n(more)} more (--json lists them all)` : ''}`);
  }
  for (const message of summary.messages.slice(0, maxMessages)) lines.push(`  ${terminalSafe(message)}`);
  const more = summary.rejects + summary.warnings + summary.filesFailed - Math.min(maxMessages, summary.messages.length);
  if (more > 0) lines.push(`  ... ${n(more)} more (see the rejects table: lineage stats)`);
  return lines.join('\n');
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** What `lineage stats` prints (without --json). */
export function formatStats(stats: StoreStats, dbPath: string): string {
  const lines = [
    `store ${terminalSafe(dbPath)} (schema v${stats.schemaVersion})`,
    `  devices ${n(stats.devices)} · sources ${n(stats.sources)} · rejects ${n(stats.rejects)}`,
    `  DeviceProcessEvents  ${n(stats.events.DeviceProcessEvents)}`,
    `  DeviceNetworkEvents  ${n(stats.events.DeviceNetworkEvents)}`,
    `  time range ${stats.timeRange ? `${stats.timeRange.from} .. ${stats.timeRange.to}` : '(empty)'}`,
    `  on disk ${mib(stats.bytes.database)} MiB database + ${mib(stats.bytes.columnLog)} MiB column log`,
  ];
  if (stats.lastRuns.length > 0) lines.push('  last runs:');
  for (const run of stats.lastRuns) {
    lines.push(`    #${run.id} ${run.startedAt} ${run.status.padEnd(11)} ${terminalSafe(run.command)}`);
  }
  return lines.join('\n');
}
