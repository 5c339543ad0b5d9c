// Tells the format of a file from its first bytes (and its name): which parser reads it, and whether it is
// read line by line or as one streamed JSON document.
import type { FormatName } from '../domain';
import { tableNamed } from './infer-table';
import { excelSeparatorLine, isPowerShellTypeLine } from './split-csv-record';
import { isWindowsEvent } from './windows-events';
import { isWindowsXml } from './windows-xml';

/** How the ingest layer frames records for the parser. */
export type Framing = 'lines' | 'document' | 'csv' | 'xml' | 'evtx' | 'avro';

export interface DetectedFormat {
  format: FormatName;
  framing: Framing;
}

const API_KEYS = /"(Schema|schema|Results|results|tables|Tables)"\s*:/;
const STREAM_KEYS = /"records"\s*:|"category"\s*:\s*"AdvancedHunting-/;
/** A JSON document of rows names the event time somewhere near its start. */
const ROW_TIME_KEY = /"(Timestamp|TimeGenerated)"\s*:/;
const DOCUMENT_OPENING = /^\{\s*("(Schema|schema|Results|results|records|value|@odata\.context|tables|Tables)"\s*:|\r?$)/;
/** An EventLogRecord from PowerShell (`Get-WinEvent | ConvertTo-Json`), pretty-printed: its keys near the start. */
const POWERSHELL_EVENT_KEYS = [/"Id"\s*:/, /"(ProviderName|LogName)"\s*:/, /"TimeCreated"\s*:/];
const isPowerShellEventHead = (text: string): boolean => POWERSHELL_EVENT_KEYS.every((key) => key.test(text));
/** Windows event records in any JSON shape (a JSON array of them: `jq -s`, a tool's JSON download). */
const WINDOWS_EVENT_KEYS = /"(EventID|EventRecordID|EventData|winlog)"\s*:/;
/** Azure Data Explorer's v2 response: a JSON array of frames, opening with its DataSetHeader. */
const DATA_SET_HEADER = /^\[\s*\{\s*"FrameType"\s*:\s*"DataSetHeader"/;

/** Whether a document's first bytes (as text) open Azure Data Explorer's v2 response, an array of frames. */
export const isDataExplorerFrames = (head: string): boolean => DATA_SET_HEADER.test(head.replace(/^\uFEFF/, '').trimStart());
const CSV_SEPARATOR = /[,;\t]/;
const CSV_TIME_HEADER = /(^|[,;\t"])\s*(Timestamp|TimeGenerated)(\s*\[[^\]]*\])?\s*"?([,;\t]|$)/;

/** The first bytes of a binary Windows event log (.evtx). */
const EVTX_MAGIC = 'ElfFile\0';
/** The first bytes of an Avro object container: here, an Event Hubs Capture file of streaming-API messages. */
const AVRO_MAGIC = 'Obj\x01';

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}

function parseObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function classifyObject(value: Record<string, unknown>): FormatName {
  if (isWindowsEvent(value)) return 'windows-events';
  if ('Results' in value || 'results' in value || 'Schema' in value || 'schema' in value) return 'mde-api-json';
  if (Array.isArray(value.tables) || Array.isArray(value.Tables)) return 'mde-api-json';
  if ('records' in value || 'category' in value) return 'mde-stream';
  return 'mde-ndjson';
}

function linesOf(format: FormatName): DetectedFormat {
  return { format, framing: format === 'mde-api-json' ? 'document' : 'lines' };
}

/** The format of a file given its first bytes as text, or null when no parser recognises it. */
export function detectFormat(head: string): DetectedFormat | null {
  if (head.startsWith(EVTX_MAGIC)) return { format: 'windows-events', framing: 'evtx' };
  if (head.startsWith(AVRO_MAGIC)) return { format: 'mde-stream', framing: 'avro' };
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return null;
  const first = text[0];
  if (first === '{') {
    const lines = text.split('\n', 6);
    const firstLineValue = parseObject(lines[0] ?? '');
    if (firstLineValue) return linesOf(classifyObject(firstLineValue));
    // A document opens with its container key ('{"records":[', '{"Schema":...') or with a bare '{'.
    if (!DOCUMENT_OPENING.test(lines[0] ?? '')) {
      // Otherwise one object per line, the first of them malformed: later lines decide.
      for (const line of lines.slice(1)) {
        const value = line.startsWith('{') ? parseObject(line) : null;
        if (value) return linesOf(classifyObject(value));
      }
    }
    if (API_KEYS.test(text)) return { format: 'mde-api-json', framing: 'document' };
    if (isPowerShellEventHead(text)) return { format: 'windows-events', framing: 'document' };
    if (STREAM_KEYS.test(text)) return { format: 'mde-stream', framing: 'document' };
    if (ROW_TIME_KEY.test(text)) return { format: 'mde-ndjson', framing: 'document' };
    return null;
  }
  if (first === '[') {
    if (isDataExplorerFrames(text)) return { format: 'mde-api-json', framing: 'document' };
    if (STREAM_KEYS.test(text)) return { format: 'mde-stream', framing: 'document' };
    if (isPowerShellEventHead(text) || WINDOWS_EVENT_KEYS.test(text)) return { format: 'windows-events', framing: 'document' };
    return ROW_TIME_KEY.test(text) ? { format: 'mde-ndjson', framing: 'document' } : null;
  }
  if (first === '<') return isWindowsXml(text) ? { format: 'windows-events', framing: 'xml' } : null;
  // A header row naming the event time, its cells separated by commas, semicolons or tabs; after PowerShell's
  // `#TYPE` line and Excel's `sep=;`, when there.
  let rest = text;
  let header = firstLine(rest);
  for (const preamble of [isPowerShellTypeLine, (line: string) => excelSeparatorLine(line) !== null]) {
    if (!preamble(header)) continue;
    rest = rest.slice(rest.indexOf('\n') + 1);
    header = firstLine(rest);
  }
  if (CSV_SEPARATOR.test(header) && CSV_TIME_HEADER.test(header)) return { format: 'mde-csv', framing: 'csv' };
  return null;
}

/** The framing a format uses when the user names it with --format. */
export function defaultFraming(format: FormatName): Framing {
  if (format === 'mde-csv') return 'csv';
  if (format === 'mde-api-json') return 'document';
  return 'lines';
}

/** The table a file name names (`DeviceProcessEvents.csv`, `...AdvancedHunting-DeviceNetworkEvents/...`). */
export function tableFromFileName(path: string): ReturnType<typeof tableNamed> {
  return tableNamed(path);
}
