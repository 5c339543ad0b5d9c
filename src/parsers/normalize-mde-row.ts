// Turns one Advanced Hunting row (any MDE format, already split into named columns) into a NormalizedEvent.
// All MDE formats end here, so they share coercion, required-field checks and identity.
// Hot path (one call per event): one pass over the row's columns coerces the values whose type is off and places
// every value at its schema position in the stored column array (columns-codec.ts). Storing the original JSON
// text instead was measured: it spares a serialisation but more than doubles the bytes written, and ingest is
// bound by the writer. Reading the line without JSON.parse was measured too: a scanner in JavaScript took longer
// than JSON.parse and the normalisation together.
import { eventIdentity, parseTime, slashedYearLast, type DateOrder, type NormalizedEvent, type ParseOutcome, type TableName, type Ticks,
  type YearLastOrder } from '../domain';
import { coerceColumn, isCanonicalTime } from './coerce-column';
import { encodeColumns } from './columns-codec';
import type { DateOrderEvidence } from './date-order-evidence';
import { MDE_COLUMNS } from './mde-columns';
import { rawText, type RawText } from './raw-text';

/** The columns of a file whose times are the exporter's local time, and how to place them in UTC (null: unknown). */
export interface LocalTimes {
  columns: ReadonlySet<string>;
  zone: string | null;
  toUtc: ((local: Ticks) => Ticks) | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** How a file's times are to be read, beyond what each text says (a parser's context carries these). */
export interface RowTimes {
  /** How a regional date with the year last is read (--date-order); `auto` when absent. */
  yearLast?: YearLastOrder;
  /** Columns of the file whose times are the exporter's local time (a CSV header's `[Local Time]`). */
  localTimes?: LocalTimes;
  /**
   * The date order the file's slashed regional dates show, learned while reading it; rows wait (`defer`) until it is
   * settled. Only where the framing reads deferred rows again (CSV).
   */
  dates?: DateOrderEvidence;
}

/**
 * Normalises a row of `table`, coercing its values in place. `raw` is the source text kept with a reject; `times`
 * says how the file's times read. Returns an issue (never throws) for a missing required field or a value of the
 * wrong type, and `defer` while the file has not yet shown the order of its dates.
 */
export function normalizeMdeRow(input: Record<string, unknown>, table: TableName, file: string, line: number,
  raw: RawText, times: RowTimes = {}): ParseOutcome {
  const { localTimes: local, dates } = times;
  const schema = MDE_COLUMNS[table];
  let row = input;
  /** A regional time (the exporter rounded it to its form), and the first column whose time had more than 7 digits. */
  let rounded = false;
  let cut = '';
  const values: unknown[] = new Array(schema.size + 1).fill(null);
  let extras: Record<string, unknown> | null = null;
  const issue = (message: string): ParseOutcome => ({ issue: { file, line, message, raw: rawText(raw) } });

  if (row.Timestamp === undefined && row.TimeGenerated !== undefined) {
    // Sentinel's name for the event time when the table's own Timestamp is not exported.
    const { TimeGenerated, ...rest } = row;
    row = { Timestamp: TimeGenerated, ...rest };
  }
  // The original text of the event time is kept as is; coercion below may rewrite the column to canonical form.
  const timeText = str(row.Timestamp).trim();
  /** The order a regional Timestamp was read in, for the warning. */
  let timeOrder: DateOrder | undefined;
  // A slashed date with the year last reads in the order its file shows (date-order-evidence.ts): until a row has
  // shown it, the row waits to be read again.
  let yearLast = times.yearLast ?? 'auto';
  if (yearLast === 'auto' && dates !== undefined && timeText.includes('/')) {
    const numbers = slashedYearLast(timeText);
    if (numbers) {
      dates.see(numbers.first, numbers.second);
      const shown = dates.order();
      if (shown) yearLast = shown;
      else if (dates.canLearnMore()) return { defer: true };
    }
  }
  for (const name in row) {
    const spec = schema.get(name);
    const value = row[name];
    if (spec === undefined) {
      (extras ??= {})[name] = value;
      continue;
    }
    const type = spec.type;
    // A time in the exporter's local time is coerced through the zone's clock, or refused without one.
    const toUtc = local !== undefined && type === 'datetime' && local.columns.has(name) ? local.toUtc : undefined;
    if (toUtc === null && value !== null && value !== undefined && value !== '') {
      return issue(`${name}: a local time (the header says [Local Time]) in a time zone the file does not name; say which with --time-zone`);
    }
    if (type === 'string' && (typeof value === 'string' || value === null)) {
      // Empty, null and absent strings are one value in Kusto: stored as null, read back as ''.
      values[spec.index + 1] = value === '' ? null : value;
      continue;
    }
    let ok: boolean;
    if (type === 'string') ok = false;
    // Canonical-looking times are validated below, where every datetime column is parsed to ticks.
    else if (type === 'datetime') ok = value === null || (!toUtc && typeof value === 'string' && isCanonicalTime(value));
    else if (type === 'long' || type === 'int') ok = value === null || (typeof value === 'number' && Number.isSafeInteger(value));
    else if (type === 'dynamic') ok = value === null || (typeof value === 'string' && value !== '');
    else ok = value === null || typeof value === 'boolean';
    if (ok) {
      values[spec.index + 1] = value;
      continue;
    }
    const coerced = coerceColumn(type, value, yearLast, toUtc);
    if ('error' in coerced) return issue(`${name}: ${coerced.error}`);
    // A regional form is lossy by what the exporter wrote; an ISO time is lossy only when it had digits past 100 ns.
    if (coerced.lossy && coerced.order !== undefined) rounded = true;
    else if (coerced.lossy && cut === '') cut = name;
    if (coerced.order !== undefined && name === 'Timestamp') timeOrder = coerced.order;
    row[name] = coerced.value;
    values[spec.index + 1] = coerced.value;
  }
  values[0] = extras;

  if (timeText === '') return issue('missing Timestamp');
  // The column as coerced above: canonical, and in UTC if it was local; timeText stays as the file wrote it.
  const time = parseTime(str(row.Timestamp));
  if (!time) return issue(`Timestamp: not a time: ${JSON.stringify(timeText.slice(0, 60))}`);
  let badTime = '';
  const timeOf = (name: string): Ticks | null => {
    const text = row[name];
    if (typeof text !== 'string' || text === '') return null;
    const parsed = parseTime(text, yearLast);
    if (!parsed) badTime = name;
    return parsed ? parsed.ticks : null;
  };
  const deviceId = str(row.DeviceId) || str(row.DeviceName);
  if (deviceId === '') return issue('missing DeviceId and DeviceName');

  const reportId = row.ReportId === null || row.ReportId === undefined ? '' : String(row.ReportId);
  const actionType = str(row.ActionType);
  const columnsText = encodeColumns(values);
  const common = {
    time: time.ticks,
    timeText,
    deviceId,
    deviceName: str(row.DeviceName),
    actionType,
    reportId,
    // A row without a ReportId is told apart by its values as JSON, as every earlier version of the store did.
    identity: eventIdentity(reportId, actionType, reportId === '' ? JSON.stringify(values) : ''),
    initiatorPid: num(row.InitiatingProcessId),
    initiatorCreatedAt: timeOf('InitiatingProcessCreationTime'),
    initiatorFileName: str(row.InitiatingProcessFileName),
    initiatorFolderPath: str(row.InitiatingProcessFolderPath),
    initiatorCommandLine: str(row.InitiatingProcessCommandLine),
    initiatorUniqueId: row.InitiatingProcessUniqueId == null ? '' : String(row.InitiatingProcessUniqueId),
    initiatorAccountName: str(row.InitiatingProcessAccountName),
    parentPid: num(row.InitiatingProcessParentId),
    parentCreatedAt: timeOf('InitiatingProcessParentCreationTime'),
    parentFileName: str(row.InitiatingProcessParentFileName),
    columnsText,
  };
  const event: NormalizedEvent = table === 'DeviceProcessEvents'
    ? {
      kind: 'process', table, ...common,
      pid: num(row.ProcessId),
      createdAt: timeOf('ProcessCreationTime'),
      fileName: str(row.FileName),
      folderPath: str(row.FolderPath),
      commandLine: str(row.ProcessCommandLine),
      uniqueId: row.ProcessUniqueId == null ? '' : String(row.ProcessUniqueId),
      accountName: str(row.AccountName),
    }
    : {
      kind: 'network', table, ...common,
      localIp: str(row.LocalIP),
      localPort: num(row.LocalPort),
      remoteIp: str(row.RemoteIP),
      remotePort: num(row.RemotePort),
      protocol: str(row.Protocol),
    };
  if (badTime !== '') return issue(`${badTime}: not a time: ${JSON.stringify(str(row[badTime]).slice(0, 60))}`);
  if (!rounded && cut === '') return { ok: event };
  // A regional form's date order is Lineage's reading of the exporter's locale: said, so that it can be checked.
  const localZone = local?.toUtc && local.columns.has('Timestamp') ? local.zone : null;
  const message = !rounded
    ? `${cut}: more than 7 fractional digits, cut to 100 ns`
    : timeOrder
      ? `time read as ${timeOrder} from a regional form${localZone ? `, local time in ${localZone}` : ''}; precision lost (text rounded by the exporter)`
      : 'time precision lost (text rounded by the exporter)';
  return { ok: event, warning: { file, line, message } };
}
