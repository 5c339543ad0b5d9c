// Writes Advanced Hunting rows in each format Lineage ingests, the way Defender and its exports write them:
// the inverse of src/parsers. Used by the simulator and by the parser conformance tests. It speaks the MDE
// column names on purpose: it produces vendor data.
import type { FormatName, TableName } from '../domain';
import { MDE_COLUMN_LIST, type CsvSeparator } from '../parsers';

export type WriterFormat = Exclude<FormatName, 'windows-events'> | 'mde-eventhub' | 'mde-graph-json' | 'mde-la-json' | 'mde-adx-json'
  | 'mde-adx2-json';
export const WRITER_FORMATS: readonly WriterFormat[] = [
  'mde-ndjson', 'mde-stream', 'mde-eventhub', 'mde-api-json', 'mde-graph-json', 'mde-la-json', 'mde-adx-json', 'mde-adx2-json', 'mde-csv',
];

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

/** A cell of a response of tables: `dynamic` values as the JSON text the Log Analytics API gives them as. */
const tableCell = (value: unknown): unknown =>
  (value === undefined ? null : typeof value === 'object' && value !== null ? JSON.stringify(value) : value);

/** Azure Data Explorer's v1 response ends with tables about the query, whose rows are no events. */
const ADX_TRAILER = `,\n{"TableName":"Table_1","Columns":[{"ColumnName":"Timestamp","DataType":"DateTime","ColumnType":"datetime"},`
  + '{"ColumnName":"Severity","DataType":"Int32","ColumnType":"int"},{"ColumnName":"StatusDescription","DataType":"String","ColumnType":"string"}],'
  + '"Rows":[["2024-05-06T00:00:00.0000000Z",4,"Query completed successfully"]]},\n'
  + '{"TableName":"Table_2","Columns":[{"ColumnName":"Ordinal","DataType":"Int64","ColumnType":"long"},{"ColumnName":"Kind","DataType":"String","ColumnType":"string"},'
  + '{"ColumnName":"Name","DataType":"String","ColumnType":"string"}],"Rows":[[0,"QueryResult","PrimaryResult"],[1,"QueryStatus","QueryStatus"]]}';

/** Azure Data Explorer's v2 response: a header frame, a table of query properties, the rows, and completion frames. */
const ADX2_HEAD = '[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0"},\n'
  + '{"FrameType":"DataTable","TableId":0,"TableKind":"QueryProperties","TableName":"@ExtendedProperties","Columns":['
  + '{"ColumnName":"TableId","ColumnType":"int"},{"ColumnName":"Key","ColumnType":"string"},{"ColumnName":"Value","ColumnType":"dynamic"}],'
  + '"Rows":[[1,"Visualization","{\\"Visualization\\":null}"]]},\n';
const ADX2_TAIL = ',\n{"FrameType":"DataTable","TableId":2,"TableKind":"QueryCompletionInformation","TableName":"QueryCompletionInformation",'
  + '"Columns":[{"ColumnName":"Timestamp","ColumnType":"datetime"},{"ColumnName":"ClientRequestId","ColumnType":"string"}],'
  + '"Rows":[["2024-05-06T00:00:00.0000000Z","lineage;00000000"]]},\n{"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}]\n';

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
  /** A row of a response of tables: its values in the order of the columns. */
  const tableRow = (row: MdeRow): string => separator() + JSON.stringify(columns.map((c) => tableCell(row[c.name])));
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
    case 'mde-la-json':
      // The Log Analytics query API (Sentinel's workspace): a table of columns and rows of values in their order.
      return {
        header: () => `{"tables":[{"name":"PrimaryResult","columns":${JSON.stringify(columns.map((c) => ({ name: c.name, type: c.type })))},"rows":[\n`,
        row: tableRow,
        footer: () => '\n]}]}\n',
      };
    case 'mde-adx-json':
      // Azure Data Explorer's v1 REST response, as where streamed MDE events are often landed: the rows, then tables about the query.
      return {
        header: () => `{"Tables":[{"TableName":"Table_0","Columns":${JSON.stringify(columns.map((c) => ({ ColumnName: c.name, DataType: KUSTO_TYPES[c.type], ColumnType: c.type })))},"Rows":[\n`,
        row: tableRow,
        footer: () => `\n]}${ADX_TRAILER}]}\n`,
      };
    case 'mde-adx2-json':
      return {
        header: () => `${ADX2_HEAD}{"FrameType":"DataTable","TableId":1,"TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":`
          + `${JSON.stringify(columns.map((c) => ({ ColumnName: c.name, ColumnType: c.type })))},"Rows":[\n`,
        row: tableRow,
        footer: () => `\n]}${ADX2_TAIL}`,
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
