// What an ingest run reports: per file and in total. `--json` prints IngestSummary as is.
import type { TableName } from '../domain';

export interface FileSummary {
  path: string;
  format: string | null;
  compressed: boolean;
  /** Events newly stored, per table. */
  events: Record<TableName, number>;
  duplicates: number;
  rejects: number;
  skipped: number;
  warnings: number;
  /** Why the file could not be read at all (unknown format, I/O error); null when it was read. */
  error: string | null;
  /** A file found inside a folder that is not a log Lineage reads: passed over, not an error. */
  passedOver: boolean;
}

export interface IngestSummary {
  runId: number;
  files: number;
  filesFailed: number;
  filesPassedOver: number;
  events: Record<TableName, number>;
  duplicates: number;
  rejects: number;
  skipped: number;
  skippedByTable: Record<string, number>;
  warnings: number;
  seconds: number;
  eventsPerSecond: number;
  perFile: FileSummary[];
  /** The first rejects and warnings as `file:line: reason`, for the terminal. */
  messages: string[];
  /**
   * The run was stopped (Ctrl-C) before it read everything: what it stored is kept, each file's rows a prefix of
   * its lines, and running the same command again completes it.
   */
  interrupted: boolean;
}
