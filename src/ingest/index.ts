// Public face of the ingest pipeline.
export { ingestPaths, type IngestOptions, type IngestProgress } from './ingest-paths';
export type { IngestSummary, FileSummary } from './ingest-summary';
export { parseFile, type ParseFileOptions, type FileParseEvent } from './parse-file';
export { ingestBatch, toRowChunk, type ParsedChunk, type RowChunk } from './parsed-chunk';
