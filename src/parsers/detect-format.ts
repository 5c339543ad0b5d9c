// Tells the format of a file from its first bytes (and its name): which parser reads it, and whether it is
// read line by line or as one streamed JSON document.
import { tableNamed } from './infer-table';

export const FORMAT_NAMES = ['mde-ndjson', 'mde-stream', 'mde-api-json', 'mde-csv'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** How the ingest layer frames records for the parser. */
export type Framing = 'lines' | 'document' | 'csv';

export interface DetectedFormat {
  format: FormatName;
  framing: Framing;
}

const API_KEYS = /"(Schema|schema|Results|results)"\s*:/;
const STREAM_KEYS = /"records"\s*:|"category"\s*:\s*"AdvancedHunting-/;
const CSV_TIME_HEADER = /(^|[,;\t"])\s*(Timestamp|TimeGenerated)(\s*\[[^\]]*\])?\s*"?([,;\t]|$)/;

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
  if ('Results' in value || 'results' in value || 'Schema' in value || 'schema' in value) return 'mde-api-json';
  if ('records' in value || 'category' in value) return 'mde-stream';
  return 'mde-ndjson';
}

/** The format of a file given its first bytes as text, or null when no parser recognises it. */
export function detectFormat(head: string): DetectedFormat | null {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return null;
  const first = text[0];
  if (first === '{') {
    // One object per line if any of the first lines is a whole object (the first may itself be malformed).
    for (const line of text.split('\n', 5)) {
      const value = line.startsWith('{') ? parseObject(line) : null;
      if (value) {
        const format = classifyObject(value);
        return { format, framing: format === 'mde-api-json' ? 'document' : 'lines' };
      }
    }
    // Otherwise a pretty-printed document.
    if (API_KEYS.test(text)) return { format: 'mde-api-json', framing: 'document' };
    if (STREAM_KEYS.test(text)) return { format: 'mde-stream', framing: 'document' };
    if (/^\{\s*"[A-Za-z]/.test(text)) return { format: 'mde-ndjson', framing: 'document' };
    return null;
  }
  if (first === '[') {
    return { format: STREAM_KEYS.test(text) ? 'mde-stream' : 'mde-ndjson', framing: 'document' };
  }
  const header = firstLine(text);
  if (header.includes(',') && CSV_TIME_HEADER.test(header)) return { format: 'mde-csv', framing: 'csv' };
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
