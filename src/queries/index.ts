// Public face of the lineage queries the HTTP API and the UI use: process search, one process, the lineage
// around a process, graphs as JSON.
export { searchProcesses, type ProcessQuery, type Page } from './search-processes';
export { getProcess, type ProcessDetail, type RawEvent } from './get-process';
export { processLineage, type LineageGraph, type LineageOptions } from './process-lineage';
export { processSummary, type ProcessSummary } from './process-summary';
export { encodeCursor, decodeCursor } from './cursor';
