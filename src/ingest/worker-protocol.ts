// Messages between the ingest coordinator (main thread, the only store writer) and parse workers.
import type { FileRange, ParseFileOptions } from './parse-file';
import type { RowChunk } from './parsed-chunk';
import type { FormatName } from '../domain';

export type ToWorker =
  /** Parse a whole file, or only `range` of it. */
  | { type: 'parse'; id: number; path: string; displayName: string; options: ParseFileOptions; range: FileRange | null }
  | { type: 'ack'; id: number };

export type FromWorker =
  | { type: 'start'; id: number; name: string; format: FormatName; compressed: boolean }
  | { type: 'passedOver'; id: number; name: string; message: string }
  /** Its events as rows (domain/event-row.ts): structured clone copies them much faster than objects. */
  | { type: 'chunk'; id: number; chunk: RowChunk }
  | { type: 'end'; id: number }
  | { type: 'error'; id: number; code: string; message: string };

/** Chunks a worker may have sent but not yet seen acknowledged: bounds memory when the writer is slower. */
export const MAX_CHUNKS_IN_FLIGHT = 4;
