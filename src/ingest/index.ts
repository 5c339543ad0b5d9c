// Public face of the ingest pipeline.
export { decodeText, decodeUtf8OrWindows1252, RECODED_WARNING } from './decode-text';
export { ingestPaths, type IngestOptions, type IngestProgress } from './ingest-paths';
export type { IngestSummary, FileSummary } from './ingest-summary';
export { parseFile, type ParseFileOptions, type FileParseEvent } from './parse-file';
export { ingestBatch, toRowChunk, type ParsedChunk, type RowChunk } from './parsed-chunk';
