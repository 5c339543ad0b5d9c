// Public face of the parsers: format detection and one pure parser per input format.
export * from './detect-format';
export * from './parse-mde-row-object';
export * from './mde-ndjson';
export * from './mde-stream';
export * from './mde-api-json';
export * from './mde-csv';
export { parseWindowsEventLine, parseWindowsEventValue } from './windows-events';
export { parseWindowsXmlEvent } from './windows-xml';
export { CHUNK_BYTES, EVTX_HEADER_BYTES, evtxChunkRecords, isEvtxChunk, type EvtxRecord } from './evtx-chunk';
export { CollectorClock } from './collector-clock';
export { DateOrderEvidence } from './date-order-evidence';
export { splitCsvRecord, csvQuoteOpen, csvSeparator, excelSeparatorLine, isPowerShellTypeLine, type CsvSeparator } from './split-csv-record';
export { MDE_COLUMNS, MDE_COLUMN_LIST, type ColumnType, type ColumnSpec } from './mde-columns';
export { decodeColumns } from './columns-codec';
