// Writes Advanced Hunting rows in each format Lineage ingests, the way Defender and its exports write them:
// the inverse of src/parsers. Used by the simulator and by the parser conformance tests. It speaks the MDE
// column names on purpose: it produces vendor data.
import type { FormatName, TableName } from '../domain';
import { MDE_COLUMN_LIST, type CsvSeparator } from '../parsers';

export type WriterFormat = Exclude<FormatName, 'windows-events'> | 'mde-eventhub' | 'mde-graph-json';
export const WRITER_FORMATS: readonly WriterFormat[] = ['mde-ndjson', 'mde-stream', 'mde-eventhub', 'mde-api-json', 'mde-graph-json', 'mde-csv'];

export type MdeRow = Record<string, unknown>;

/** Streaming writer: header, then one call per row, then footer; concatenated they are the file. */
export interface RowWriter {
  header(): string;
  row(row: MdeRow): string;
  footer(): string;
}

const KUSTO_TYPES: Record<string, string> = { string: 'String', long: 'Int64', int: 'Int32', datetime: 'DateTime', dynamic: 'Dynamic', bool: 'Boolean' };

/** Cells that must be quoted under each separator: those holding a quote, a line break or the separator. */
const NEEDS_QUOTES = { ',': /[",\r\n]/, ';': /[";\r\n]/, '\t': /["\t\r\n]/ } as const;

function csvCell(value: unknown, separator: CsvSeparator, quoteAll: boolean): string {
  if (value === null || value === undefined) return quoteAll ? '""' : '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return quoteAll || NEEDS_QUOTES[separator].test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface RowWriterOptions {
  /** Streaming envelope fields. */
  tenantId?: string;
  /** CSV: suffix datetime headers with ` [UTC]` as the portal export does. */
  utcSuffix?: boolean;
  /** CSV: what separates cells (a comma unless given: Excel uses a semicolon where the decimal mark is a comma). */
  separator?: CsvSeparator;
  /** CSV: open with Excel's `sep=X` line naming the separator. */
  excelSeparatorLine?: boolean;
  /** CSV as Windows PowerShell's Export-Csv writes it: a `#TYPE` line first, every cell (header too) quoted. */
  powershell?: boolean;
}

/** A writer of `table` rows in `format`. */
export function rowWriter(format: WriterFormat, table: TableName, options: RowWriterOptions = {}): RowWriter {
  const columns = MDE_COLUMN_LIST[table];
  const tenantId = options.tenantId ?? '00000000-0000-0000-0000-000000000000';
  let first = true;
  const separator = (): string => {
    const out = first ? '' : ',\n';
    first = false;
    return out;
  };
  switch (format) {
    case 'mde-ndjson':
      return { header: () => '', row: (row) => `${JSON.stringify(row)}\n`, footer: () => '' };
    case 'mde-stream':
      // Azure Storage PT1H.json blobs: one record per line, CRLF, event time inside properties.
      return {
        header: () => '',
        row: (row) => `${JSON.stringify({ time: row.Timestamp, tenantId, operationName: 'Publish', category: `AdvancedHunting-${table}`, properties: row })}\r\n`,
        footer: () => '',
      };
    case 'mde-eventhub':
      // One Event Hubs message holding every record.
      return {
        header: () => '{"records":[\n',
        row: (row) => separator() + JSON.stringify({ time: row.Timestamp, tenantId, operationName: 'Publish', category: `AdvancedHunting-${table}`, properties: row }),
        footer: () => '\n]}\n',
      };
    case 'mde-api-json':
      return {
        header: () => `{"Schema":${JSON.stringify(columns.map((c) => ({ Name: c.name, Type: KUSTO_TYPES[c.type] })))},"Results":[\n`,
        row: (row) => separator() + JSON.stringify(row),
        footer: () => '\n]}\n',
      };
    case 'mde-graph-json':
      return {
        header: () => `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults","schema":${JSON.stringify(columns.map((c) => ({ name: c.name, type: KUSTO_TYPES[c.type] })))},"results":[\n`,
        row: (row) => separator() + JSON.stringify(row),
        footer: () => '\n]}\n',
      };
    case 'mde-csv': {
      const cellSeparator = options.separator ?? ',';
      const quoteAll = options.powershell ?? false;
      const preamble = (quoteAll ? '#TYPE System.Management.Automation.PSCustomObject\r\n' : '')
        + (options.excelSeparatorLine ? `sep=${cellSeparator}\r\n` : '');
      const names = columns.map((c) => (options.utcSuffix && c.type === 'datetime' ? `${c.name} [UTC]` : c.name));
      return {
        header: () => `${preamble}${names.map((name) => csvCell(name, cellSeparator, quoteAll)).join(cellSeparator)}\r\n`,
        row: (row) => `${columns.map((c) => csvCell(row[c.name], cellSeparator, quoteAll)).join(cellSeparator)}\r\n`,
        footer: () => '',
      };
    }
  }
}

/** A whole file of `rows` in `format`. */
export function formatRows(format: WriterFormat, table: TableName, rows: readonly MdeRow[], options: RowWriterOptions = {}): string {
  const writer = rowWriter(format, table, options);
  return writer.header() + rows.map((row) => writer.row(row)).join('') + writer.footer();
}
