// The contract between the ingest pipeline and whatever stores its events (the SQLite store in practice).
// Defined here so that ingest and store never import each other; the CLI wires one to the other.
import type { EventRow } from './event-row';
import type { ParseIssue, TableName } from './events';

/**
 * Events parsed from one stretch of one file, as rows (event-row.ts), with the source line of each, and the records
 * rejected there. Each event's stored columns travel as UTF-8 packed back to back in `columns` (event i is the bytes
 * from columnEnds[i-1] to columnEnds[i]): one transferable buffer instead of thousands of long strings.
 */
export interface IngestBatch {
  rows: EventRow[];
  lines: number[];
  issues: ParseIssue[];
  columns: Uint8Array;
  columnEnds: number[];
}

export interface BatchResult {
  inserted: Record<TableName, number>;
  duplicates: number;
}

export type RunStatus = 'running' | 'ok' | 'failed' | 'interrupted';

/** Where ingested events go. Each writeBatch is atomic: all of a batch is stored, or none of it. */
export interface IngestSink {
  startRun(command: string, startedAt: string): number;
  openSource(path: string, format: string, runId: number): number;
  writeBatch(runId: number, sourceId: number, batch: IngestBatch): BatchResult;
  finishRun(runId: number, status: RunStatus, finishedAt: string, summary: unknown): void;
}
