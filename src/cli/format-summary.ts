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
  // A file with a warning on every row (a regional time) says it once, with how many lines of it followed.
  let said = 0;
  for (const { message, repeats } of collapseRepeats(summary.messages).slice(0, maxMessages)) {
    lines.push(`  ${terminalSafe(message)}${repeats > 0 ? ` (and ${n(repeats)} more like it)` : ''}`);
    said += 1 + repeats;
  }
  const more = summary.rejects + summary.warnings + summary.filesFailed - said;
  if (more > 0) {
    lines.push(`  ... ${n(more)} more${summary.rejects > 0 ? ' (each reject is kept with its text in the store\'s rejects table)' : ''}`);
  }
  return lines.join('\n');
}

/** `file:line: text`: the place a message names, and what it says. */
const PLACED = /^(.*):(\d+): (.*)$/s;

/** Messages in order, each run of ones that differ only in their line number said once, with how many followed it. */
function collapseRepeats(messages: readonly string[]): Array<{ message: string; repeats: number }> {
  const out: Array<{ message: string; repeats: number; key: string | null }> = [];
  for (const message of messages) {
    const placed = PLACED.exec(message);
    const key = placed ? `${placed[1]}\n${placed[3]}` : null;
    const last = out[out.length - 1];
    if (key !== null && last?.key === key) last.repeats++;
    else out.push({ message, repeats: 0, key });
  }
  return out.map(({ message, repeats }) => ({ message, repeats }));
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
