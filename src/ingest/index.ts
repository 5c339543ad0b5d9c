// Public face of the ingest pipeline.
export { ingestPaths, type IngestOptions, type IngestProgress } from './ingest-paths';
export type { IngestSummary, FileSummary } from './ingest-summary';
export { parseFile, type ParseFileOptions, type FileParseEvent } from './parse-file';
export type { ParsedChunk } from './parsed-chunk';
