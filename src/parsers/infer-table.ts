// Decides which Advanced Hunting table a row belongs to, in the documented order: the --table flag, a
// Table/Type column, the file name, then the columns present (and, for union exports, the ActionType).
import type { TableName } from '../domain';
import { NETWORK_ONLY_MARKERS, PROCESS_ONLY_MARKERS } from './mde-columns';

/** A row's table: one Lineage stores, another table's name (skipped), or unknown (an issue). */
export type TableVerdict = { table: TableName } | { otherTable: string } | { unknown: true };

const PROCESS_ACTIONS = new Set(['ProcessCreated', 'ProcessCreatedUsingWmiQuery', 'OpenProcess']);
const NETWORK_ACTIONS = new Set([
  'ConnectionSuccess', 'ConnectionFailed', 'ConnectionAttempt', 'ConnectionFound', 'ConnectionRequest',
  'ConnectionAcknowledged', 'InboundConnectionAccepted', 'ListeningConnectionCreated', 'NetworkSignatureInspected',
  'HttpConnectionInspected', 'DnsConnectionInspected', 'SslConnectionInspected', 'IcmpConnectionInspected',
  'SshConnectionInspected', 'FtpConnectionInspected', 'SmtpConnectionInspected', 'NtlmAuthenticationInspected',
]);
const TABLE_NAME = /^[A-Z][A-Za-z0-9]*(Events|Info|Logs?|Alerts?)$/;

/** A table named in text (a file name, a category, a column value), or null when it names none. */
export function tableNamed(text: string): TableName | null {
  if (text.includes('DeviceProcessEvents')) return 'DeviceProcessEvents';
  if (text.includes('DeviceNetworkEvents')) return 'DeviceNetworkEvents';
  return null;
}

function verdictFromName(name: string): TableVerdict | null {
  if (name === 'DeviceProcessEvents' || name === 'DeviceNetworkEvents') return { table: name };
  return TABLE_NAME.test(name) ? { otherTable: name } : null;
}

/** The table of `row`, given a forced table (--table) and the table the file name suggests. */
export function inferTable(row: Record<string, unknown>, forced: TableName | null, fromFileName: TableName | null): TableVerdict {
  if (forced) return { table: forced };
  for (const column of ['Table', 'Type', 'TableName', '$table']) {
    const value = row[column];
    if (typeof value === 'string') {
      const verdict = verdictFromName(value);
      if (verdict) return verdict;
    }
  }
  if (fromFileName) return { table: fromFileName };
  const hasProcess = PROCESS_ONLY_MARKERS.some((c) => c in row);
  const hasNetwork = NETWORK_ONLY_MARKERS.some((c) => c in row);
  if (hasProcess && !hasNetwork) return { table: 'DeviceProcessEvents' };
  if (hasNetwork && !hasProcess) return { table: 'DeviceNetworkEvents' };
  const action = typeof row.ActionType === 'string' ? row.ActionType : '';
  if (PROCESS_ACTIONS.has(action)) return { table: 'DeviceProcessEvents' };
  if (NETWORK_ACTIONS.has(action)) return { table: 'DeviceNetworkEvents' };
  // A row of some other table in a union export: it names an action neither of our tables has.
  if (action !== '') return { otherTable: `unknown table (ActionType ${action})` };
  return { unknown: true };
}
