// Canonical MDE rows for tests: every column filled, with the values that break naive parsers (quotes, commas,
// semicolons, tabs, newlines and unicode in command lines, JSON in AdditionalFields, 7-digit times).
import type { TableName } from '../../src/domain';
import { MDE_COLUMN_LIST } from '../../src/parsers';
import type { MdeRow } from '../../src/simulate';

const SAMPLE: Record<string, unknown> = {
  DeviceId: '999b6fd7c532534ba50b3232fa992c38a273d4fb',
  DeviceName: 'ws-042.contoso.com',
  FileName: 'cmd.exe',
  FolderPath: 'C:\\Windows\\System32\\cmd.exe',
  ProcessCommandLine: 'cmd.exe /c "echo a,b;c ""quoted""\t& whoami"',
  InitiatingProcessFileName: 'mmc.exe',
  InitiatingProcessCommandLine: '"C:\\Windows\\system32\\mmc.exe" -Embedding',
  InitiatingProcessParentFileName: 'svchost.exe',
  AdditionalFields: '{"ProcessStartKey":1125899906844733,"note":"x, \\"y\\""}',
  RemoteIP: '10.0.0.7',
  LocalIP: '10.0.0.5',
  Protocol: 'Tcp',
  AccountName: 'jörg',
};

/** A row of `table` with every column filled; `overrides` win. */
export function fullRow(table: TableName, index: number, overrides: Record<string, unknown> = {}): MdeRow {
  const row: MdeRow = {};
  for (const column of MDE_COLUMN_LIST[table]) {
    if (column.name in SAMPLE) row[column.name] = SAMPLE[column.name];
    else if (column.type === 'string') row[column.name] = `${column.name.toLowerCase()}-${index}`;
    else if (column.type === 'long' || column.type === 'int') row[column.name] = 1000 + index * 4;
    else if (column.type === 'datetime') row[column.name] = `2024-03-26T09:39:5${index % 10}.768864${index % 10}Z`;
    else if (column.type === 'bool') row[column.name] = index % 2 === 0;
    else row[column.name] = '[]';
  }
  row.ActionType = table === 'DeviceProcessEvents' ? 'ProcessCreated' : 'InboundConnectionAccepted';
  row.ReportId = 5000 + index;
  return { ...row, ...overrides };
}

/** A few rows of both tables, the second process row with a multi-line command line. */
export function fixtureRows(): Record<TableName, MdeRow[]> {
  return {
    DeviceProcessEvents: [
      fullRow('DeviceProcessEvents', 1),
      fullRow('DeviceProcessEvents', 2, { ProcessCommandLine: 'powershell.exe -c "line one\r\nline two" ☃' }),
      fullRow('DeviceProcessEvents', 3, { AdditionalFields: null, AccountUpn: '' }),
    ],
    DeviceNetworkEvents: [
      fullRow('DeviceNetworkEvents', 1, { LocalPort: 135 }),
      fullRow('DeviceNetworkEvents', 2, { ActionType: 'ConnectionSuccess', RemoteUrl: 'https://example.com/a?b=1,2' }),
    ],
  };
}
