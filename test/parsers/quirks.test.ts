// One named fixture per input quirk the ingest issue lists: each must parse, or be reported, exactly so.
import { describe, expect, it } from 'vitest';
import { formatTicks, parseTime, UnknownFormat, type ProcessEvent, type NetworkEvent } from '../../src/domain';
import { decodeColumns } from '../../src/parsers';
import { formatRows } from '../../src/simulate';
import { fullRow } from '../helpers/mde-fixture-rows';
import { parseText } from '../helpers/parse-text';
import { useTempDirs } from '../helpers/temp-dir';

const DEVICE = 'dddd000000000000000000000000000000000001';
const minimal = (extra: Record<string, unknown> = {}) => JSON.stringify({
  Timestamp: '2024-03-26T09:39:50.7688641Z', DeviceId: DEVICE, DeviceName: 'ws1', ActionType: 'ProcessCreated',
  FileName: 'cmd.exe', ProcessId: 4242, ProcessCommandLine: 'cmd.exe', ReportId: 7, ...extra,
});

describe('input quirks', () => {
  const tempDir = useTempDirs();

  it('stream-pt1h-crlf: Azure Storage blob lines with CRLF; event time from properties, not the envelope', async () => {
    const record = (ts: string, reportId: number) => JSON.stringify({
      time: '2030-01-01T00:00:00.0000000Z', tenantId: 't', operationName: 'Publish', category: 'AdvancedHunting-DeviceProcessEvents',
      properties: { Timestamp: ts, DeviceId: DEVICE, DeviceName: 'ws1', ActionType: 'ProcessCreated', ProcessId: 8, ReportId: reportId },
    });
    const parsed = await parseText(tempDir(), 'PT1H.json', `${record('2024-01-01T10:00:00.1234567Z', 1)}\r\n${record('2024-01-01T10:00:01Z', 2)}\r\n`);
    expect(parsed.format).toBe('mde-stream');
    expect(parsed.issues).toEqual([]);
    expect(parsed.events.map((e) => e.timeText)).toEqual(['2024-01-01T10:00:00.1234567Z', '2024-01-01T10:00:01Z']);
    expect(parsed.events[0]?.time).toBe(parseTime('2024-01-01T10:00:00.1234567Z')?.ticks);
  });

  it('stream-other-tables-skipped: records of other AdvancedHunting tables are counted, not rejected', async () => {
    const line = (category: string) => JSON.stringify({ category: `AdvancedHunting-${category}`, properties: { Timestamp: '2024-01-01T10:00:00Z', DeviceId: DEVICE } });
    const parsed = await parseText(tempDir(), 'mixed.json', [line('DeviceFileEvents'), line('DeviceLogonEvents'), line('DeviceFileEvents')].join('\n'));
    expect(parsed.skipped).toEqual({ DeviceFileEvents: 2, DeviceLogonEvents: 1 });
    expect(parsed.issues).toEqual([]);
  });

  it('eventhub-records-per-line: one Event Hubs message per line, several records each', async () => {
    const records = [1, 2, 3].map((i) => ({ category: 'AdvancedHunting-DeviceNetworkEvents', properties: { Timestamp: `2024-01-01T10:00:0${i}Z`, DeviceId: DEVICE, ActionType: 'ConnectionSuccess', RemotePort: '443', ReportId: i } }));
    const parsed = await parseText(tempDir(), 'hub.json', `${JSON.stringify({ records: records.slice(0, 2) })}\n${JSON.stringify({ records: records.slice(2) })}\n`);
    expect(parsed.format).toBe('mde-stream');
    expect(parsed.events).toHaveLength(3);
    expect(parsed.lines).toEqual([1, 1, 2]);
    expect((parsed.events[0] as NetworkEvent).remotePort).toBe(443);
  });

  it('api-json-capitalized / graph-lowercase: both key casings of hunting API responses', async () => {
    const rows = [fullRow('DeviceProcessEvents', 1), fullRow('DeviceProcessEvents', 2)];
    const api = await parseText(tempDir(), 'api.json', formatRows('mde-api-json', 'DeviceProcessEvents', rows));
    const graph = await parseText(tempDir(), 'graph.json', formatRows('mde-graph-json', 'DeviceProcessEvents', rows));
    expect(api.format).toBe('mde-api-json');
    expect(graph.format).toBe('mde-api-json');
    expect(api.events).toHaveLength(2);
    expect(graph.events).toEqual(api.events);
  });

  it('tables-one-line / tables-pretty-printed: Log Analytics and Data Explorer (v1, v2) responses as curl saves them (one line) and as jq prints them', async () => {
    const rows = [fullRow('DeviceProcessEvents', 1), fullRow('DeviceProcessEvents', 2)];
    const api = await parseText(tempDir(), 'api.json', formatRows('mde-api-json', 'DeviceProcessEvents', rows));
    for (const format of ['mde-la-json', 'mde-adx-json', 'mde-adx2-json'] as const) {
      const written = formatRows(format, 'DeviceProcessEvents', rows);
      const oneLine = await parseText(tempDir(), 'response.json', JSON.stringify(JSON.parse(written)));
      const pretty = await parseText(tempDir(), 'pretty.json', JSON.stringify(JSON.parse(written), null, 2));
      for (const parsed of [oneLine, pretty]) {
        expect(parsed.format, format).toBe('mde-api-json');
        expect(parsed.issues, format).toEqual([]);
        expect(parsed.events, format).toEqual(api.events);
      }
    }
  });

  it('api-json-pretty-printed: a multi-line response document streams row by row', async () => {
    const doc = JSON.stringify({ Schema: [{ Name: 'Timestamp', Type: 'DateTime' }], Results: [JSON.parse(minimal()), JSON.parse(minimal({ ReportId: 8 }))] }, null, 4);
    const parsed = await parseText(tempDir(), 'pretty.json', doc, { table: 'DeviceProcessEvents' });
    expect(parsed.events.map((e) => e.reportId)).toEqual(['7', '8']);
  });

  it('streaming-record-pretty-printed: one record as a JSON document (as in vendor READMEs)', async () => {
    const doc = JSON.stringify({ time: 'x', category: 'AdvancedHunting-DeviceProcessEvents', properties: JSON.parse(minimal()) }, null, 2);
    const parsed = await parseText(tempDir(), 'record.json', doc);
    expect(parsed.format).toBe('mde-stream');
    expect(parsed.events).toHaveLength(1);
  });

  it('pids-and-ports-as-strings: numbers arrive as text and are coerced', async () => {
    const parsed = await parseText(tempDir(), 'p.json', minimal({ ProcessId: '4242', InitiatingProcessId: ' 600 ', InitiatingProcessParentId: '0x2c' }));
    const event = parsed.events[0] as ProcessEvent;
    expect([event.pid, event.initiatorPid, event.parentPid]).toEqual([4242, 600, 44]);
    expect(decodeColumns('DeviceProcessEvents', parsed.columns[0]!).ProcessId).toBe(4242);
  });

  it('csv-quotes-newlines-json-cells: quote doubling, newlines inside quotes, JSON in a cell, [UTC] headers', async () => {
    const csv = [
      'Timestamp [UTC],DeviceId,DeviceName,ActionType,ProcessId,ProcessCommandLine,AdditionalFields,ReportId',
      `2024-01-01 10:00:00.1234567,${DEVICE},ws1,ProcessCreated,12,"cmd /c ""a,b""",,1`,
      `2024-01-01 10:00:01,${DEVICE},ws1,ProcessCreated,16,"line one`,
      `line two","{""k"":[1,2]}",2`,
      `2024-01-01 10:00:02,${DEVICE},ws1,ProcessCreated,20,x,"[]",3`,
    ].join('\r\n');
    const parsed = await parseText(tempDir(), 'export.csv', csv, { table: 'DeviceProcessEvents' });
    expect(parsed.format).toBe('mde-csv');
    expect(parsed.issues).toEqual([]);
    const events = parsed.events as ProcessEvent[];
    expect(events.map((e) => e.commandLine)).toEqual(['cmd /c "a,b"', 'line one\r\nline two', 'x']);
    expect(parsed.lines).toEqual([2, 3, 5]);
    expect(decodeColumns('DeviceProcessEvents', parsed.columns[1]!).AdditionalFields).toBe('{"k":[1,2]}');
    expect(events[0]?.time).toBe(parseTime('2024-01-01T10:00:00.1234567Z')?.ticks);
  });

  it('csv-semicolon-excel: a `sep=;` line names the separator and is not a record; rejects keep their file lines', async () => {
    const csv = ['sep=;', 'Timestamp;DeviceId;ActionType;ProcessId;ProcessCommandLine;ReportId',
      `2024-01-01T10:00:00Z;${DEVICE};ProcessCreated;4;"cmd /c ""a;b"", c";1`,
      `2024-01-01T10:00:01Z;${DEVICE};ProcessCreated;8`,
      `2024-01-01T10:00:02Z;${DEVICE};ProcessCreated;12;x,y;3`].join('\r\n');
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.csv', csv);
    expect(parsed.format).toBe('mde-csv');
    expect((parsed.events as ProcessEvent[]).map((e) => e.commandLine)).toEqual(['cmd /c "a;b", c', 'x,y']);
    expect(parsed.lines).toEqual([3, 5]);
    expect(parsed.issues.map((i) => [i.line, i.message])).toEqual([[4, 'expected 6 cells, found 4']]);
  });

  it('csv-timegenerated: Sentinel exports name the event time TimeGenerated', async () => {
    const csv = `TimeGenerated [UTC],DeviceId,ActionType,RemoteIP,RemotePort,LocalPort,ReportId\n2024-01-01T10:00:00Z,${DEVICE},InboundConnectionAccepted,10.0.0.9,50123,135,1\n`;
    const parsed = await parseText(tempDir(), 'sentinel.csv', csv);
    expect(parsed.issues).toEqual([]);
    expect(parsed.events[0]?.table).toBe('DeviceNetworkEvents');
    expect(parsed.events[0]?.timeText).toBe('2024-01-01T10:00:00Z');
  });

  it('csv-locale-time: US locale times ingest with a precision warning', async () => {
    const csv = `Timestamp,DeviceId,ActionType,FileName,ProcessId,ReportId\n"2/25/2025, 9:19:25.391 AM",${DEVICE},ProcessCreated,a.exe,4,1\n`;
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.csv', csv);
    expect(parsed.events[0]?.time).toBe(parseTime('2025-02-25T09:19:25.391Z')?.ticks);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^time read as month\/day\/year from a regional form; precision lost/) });
    expect(parsed.warnings[0]?.file).toMatch(/DeviceProcessEvents\.csv$/);
  });

  it('ndjson-time-beyond-100ns: a time with more than 7 fractional digits is cut to 100 ns, and the warning says that, not rounding', async () => {
    const row = { Timestamp: '2024-01-01T10:00:00.123456789Z', DeviceId: DEVICE, ActionType: 'ProcessCreated', FileName: 'a.exe', ProcessId: 4,
      ProcessCreationTime: '2024-01-01T10:00:00.1234567Z', ReportId: 1 };
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.json', `${JSON.stringify(row)}\n`);
    expect(parsed.issues).toEqual([]);
    expect(parsed.events[0]?.time).toBe(parseTime('2024-01-01T10:00:00.1234567Z')?.ticks);
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([[1, 'Timestamp: more than 7 fractional digits, cut to 100 ns']]);
  });

  it('csv-locale-time-day-first: an en-GB export reads day first, every time column alike, and says so', async () => {
    const csv = 'TimeGenerated [UTC],DeviceId,ActionType,FileName,ProcessId,ProcessCreationTime [UTC],ReportId\n'
      + `"05/02/2025, 21:19:25.391",${DEVICE},ProcessCreated,a.exe,4,"05/02/2025, 21:19:25.390",1\n`;
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.csv', csv);
    expect(parsed.issues).toEqual([]);
    expect(parsed.events[0]?.time).toBe(parseTime('2025-02-05T21:19:25.391Z')?.ticks);
    expect(parsed.events[0]?.kind === 'process' && parsed.events[0].createdAt).toBe(parseTime('2025-02-05T21:19:25.39Z')?.ticks);
    expect(parsed.warnings[0]?.message).toMatch(/^time read as day\/month\/year/);
  });

  it('csv-date-order-from-the-file: a slashed date reads in the order the file\'s rows show, however its clock is written', async () => {
    const rows = (times: string[]): string => 'Timestamp,DeviceId,ActionType,FileName,ProcessId,ReportId\n'
      + times.map((time, i) => `"${time}",${DEVICE},ProcessCreated,a.exe,${i + 4},${i + 1}\n`).join('');
    const dates = async (times: string[]): Promise<string[]> => {
      const parsed = await parseText(tempDir(), 'DeviceProcessEvents.csv', rows(times));
      expect(parsed.issues).toEqual([]);
      // Rows that waited for the order are stored after the row that showed it: sorted by line here.
      return parsed.events.map((event, i) => [parsed.lines[i] as number, formatTicks(event.time).slice(0, 10)] as const)
        .sort((a, b) => a[0] - b[0]).map(([, date]) => date);
    };
    // Excel in en-US saves 2/5/2025 9:19 (24-hour, month first): the 25th shows the order, the 5th waits for it.
    expect(await dates(['2/5/2025 9:19', '2/12/2025 23:00', '2/25/2025 9:19'])).toEqual(['2025-02-05', '2025-02-12', '2025-02-25']);
    // ta-IN writes day first with an upper-case PM, as en-US writes month first.
    expect(await dates(['5/2/2025, 9:19:25 PM', '25/2/2025, 9:19:25 PM'])).toEqual(['2025-02-05', '2025-02-25']);
    // A file that never shows it reads as the form says: 24-hour day first, upper-case AM/PM month first.
    expect(await dates(['05/02/2025 21:19', '06/02/2025 21:19'])).toEqual(['2025-02-05', '2025-02-06']);
    expect(await dates(['5/2/2025, 9:19:25 AM'])).toEqual(['2025-05-02']);
    // Once shown, the order holds: a row that does not fit it is rejected, not read the other way round.
    const mixed = await parseText(tempDir(), 'DeviceProcessEvents.csv', rows(['25/2/2025 9:19', '2/26/2025 9:19']));
    expect(mixed.events).toHaveLength(1);
    expect(mixed.issues.map((issue) => [issue.line, issue.message])).toEqual([[3, 'Timestamp: not a time: "2/26/2025 9:19"']]);
  });

  it('csv-local-time: a Sentinel export in local time is placed in UTC through the zone the user names, else rejected', async () => {
    // As exported with the display time zone set to local, in en-GB: 16 July is summer time (UTC+1) in London.
    const csv = 'TimeGenerated [Local Time],DeviceId,ActionType,FileName,ProcessId,ProcessCreationTime [Local Time],ReportId\n'
      + `16/07/2026 20:26:12.030,${DEVICE},ProcessCreated,a.exe,4,16/07/2026 20:26:11.500,1\n`
      + `16/01/2026 20:26:12.030,${DEVICE},ProcessCreated,b.exe,5,,2\n`;
    const unnamed = await parseText(tempDir(), 'DeviceProcessEvents.csv', csv);
    expect(unnamed.events).toEqual([]);
    expect(unnamed.issues.map((issue) => [issue.line, issue.message])).toEqual([2, 3].map((line) => [line,
      'Timestamp: a local time (the header says [Local Time]) in a time zone the file does not name; say which with --time-zone']));
    const london = await parseText(tempDir(), 'DeviceProcessEvents.csv', csv, { timeZone: 'Europe/London' });
    expect(london.issues).toEqual([]);
    expect(london.events.map((event) => event.time)).toEqual([parseTime('2026-07-16T19:26:12.03Z')?.ticks, parseTime('2026-01-16T20:26:12.03Z')?.ticks]);
    expect(london.events[0]?.kind === 'process' && london.events[0].createdAt).toBe(parseTime('2026-07-16T19:26:11.5Z')?.ticks);
    expect(london.events[0]?.timeText).toBe('16/07/2026 20:26:12.030'); // the text as the file wrote it
    expect(london.warnings[0]?.message).toMatch(/^time read as day\/month\/year from a regional form, local time in Europe\/London;/);
    // A UTC export of the same events stores the same columns.
    const utc = 'TimeGenerated [UTC],DeviceId,ActionType,FileName,ProcessId,ProcessCreationTime [UTC],ReportId\n'
      + `2026-07-16T19:26:12.03Z,${DEVICE},ProcessCreated,a.exe,4,2026-07-16T19:26:11.5Z,1\n`;
    expect((await parseText(tempDir(), 'DeviceProcessEvents.csv', utc)).columns[0]).toBe(london.columns[0]);
  });

  it('table-from-file-name, table-from-type-column, table-from-columns', async () => {
    const bare = JSON.stringify({ Timestamp: '2024-01-01T10:00:00Z', DeviceId: DEVICE, ActionType: 'Whatever', ReportId: 1 });
    expect((await parseText(tempDir(), 'DeviceNetworkEvents_export.json', bare)).events[0]?.table).toBe('DeviceNetworkEvents');
    const typed = JSON.stringify({ Type: 'DeviceProcessEvents', Timestamp: '2024-01-01T10:00:00Z', DeviceId: DEVICE, ReportId: 1 });
    expect((await parseText(tempDir(), 'x.json', typed)).events[0]?.table).toBe('DeviceProcessEvents');
    const otherType = JSON.stringify({ Type: 'DeviceFileEvents', Timestamp: '2024-01-01T10:00:00Z', DeviceId: DEVICE });
    expect((await parseText(tempDir(), 'y.json', otherType)).skipped).toEqual({ DeviceFileEvents: 1 });
    expect((await parseText(tempDir(), 'z.json', minimal())).events[0]?.table).toBe('DeviceProcessEvents');
    const forced = await parseText(tempDir(), 'w.json', bare, { table: 'DeviceProcessEvents' });
    expect(forced.events[0]?.table).toBe('DeviceProcessEvents');
  });

  it('dynamic-as-object: an AdditionalFields object is stored as its JSON text, like the string form', async () => {
    const asObject = await parseText(tempDir(), 'o.json', minimal({ AdditionalFields: { a: 1 } }));
    const asText = await parseText(tempDir(), 't.json', minimal({ AdditionalFields: '{"a":1}' }));
    expect(asObject.columns).toEqual(asText.columns);
  });

  it('unknown-extra-columns: columns outside the schema are kept', async () => {
    const parsed = await parseText(tempDir(), 'x.json', minimal({ MachineGroup: 'Servers', TenantId: 'abc' }));
    const row = decodeColumns('DeviceProcessEvents', parsed.columns[0]!);
    expect(row.MachineGroup).toBe('Servers');
    expect(row.TenantId).toBe('abc');
    expect(row.FileName).toBe('cmd.exe');
  });

  it('bom-and-blank-lines: a UTF-8 BOM and blank lines do not shift line numbers', async () => {
    const parsed = await parseText(tempDir(), 'bom.json', `\uFEFF${minimal()}\n\n   \n${minimal({ ReportId: 9 })}\n`);
    expect(parsed.issues).toEqual([]);
    expect(parsed.lines).toEqual([1, 4]);
  });

  it('unrecognised-file: a clear error naming the formats tried', async () => {
    const error = await parseText(tempDir(), 'notes.txt', 'hello world\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownFormat);
    expect((error as UnknownFormat).message).toMatch(/notes\.txt: not a recognised format \(tried: mde-ndjson, mde-stream, mde-api-json, mde-csv, windows-events\)/);
    for (const empty of ['', '\uFEFF', ' \r\n\n']) {
      const none = await parseText(tempDir(), 'DeviceProcessEvents.json', empty).catch((e: unknown) => e);
      expect((none as UnknownFormat).message, JSON.stringify(empty)).toMatch(/: the file is empty \(or only whitespace\): nothing to ingest$/);
    }
  });

  it('evtx-binary-truncated: a binary .evtx log cut inside its first chunk is read as one, the cut reported', async () => {
    // The EVTX file header ("ElfFile\0", then chunk counts), then a tenth of a chunk.
    const header = Buffer.concat([Buffer.from('ElfFile\0', 'latin1'), Buffer.alloc(4088, 1), Buffer.alloc(6553, 7)]);
    const parsed = await parseText(tempDir(), 'Security.evtx', header);
    expect(parsed.format).toBe('windows-events');
    expect(parsed.events).toEqual([]);
    expect(parsed.issues.map((issue) => [issue.line, issue.message])).toEqual([[1, 'evtx: the file ends inside a chunk (6553 of 65536 bytes): truncated']]);
  });
});

describe('a windows export Lineage does not read is named, with the export that works', () => {
  const tempDir = useTempDirs();

  it.each([
    ['powershell-export-csv (5.1, with its type line)', 'events.csv', '#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"Message","Id","Version"\r\n', /PowerShell's Export-Csv/],
    ['powershell-export-csv (-NoTypeInformation)', 'events.csv', '"Message","Id","Version","Qualifiers","Level","Task","Opcode","Keywords","RecordId","ProviderName","ProviderId","LogName","ProcessId","ThreadId","MachineName","UserId","TimeCreated"\r\n', /PowerShell's Export-Csv/],
  ])('%s', async (_name, file, content, what) => {
    const error = await parseText(tempDir(), file, content).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownFormat);
    expect((error as UnknownFormat).message).toMatch(what);
    expect((error as UnknownFormat).message).toMatch(/ConvertTo-Json -Depth 3/);
  });
});

describe('malformed input is reported with file:line and kept', () => {
  const tempDir = useTempDirs();

  it('malformed-line-mid-file: the bad line is an issue, the lines around it ingest', async () => {
    const text = [minimal({ ReportId: 1 }), '{"Timestamp": "2024-01-01T10:00:00Z", broken', minimal({ ReportId: 3 })].join('\n');
    const parsed = await parseText(tempDir(), 'm.json', text);
    expect(parsed.events.map((e) => e.reportId)).toEqual(['1', '3']);
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({ file: 'm.json', line: 2, raw: '{"Timestamp": "2024-01-01T10:00:00Z", broken' });
    expect(parsed.issues[0]?.message).toMatch(/^malformed JSON/);
  });

  it('malformed-first-line: a broken first line does not hide the format of the rest', async () => {
    const parsed = await parseText(tempDir(), 'm.json', ['{"Timestamp": broken', minimal({ ReportId: 2 })].join('\n'));
    expect(parsed.events).toHaveLength(1);
    expect(parsed.issues.map((i) => i.line)).toEqual([1]);
  });

  it('missing-required-fields and bad values are issues naming the field', async () => {
    const lines = [
      minimal({ Timestamp: undefined }),
      minimal({ DeviceId: '', DeviceName: '' }),
      minimal({ Timestamp: 'not a time' }),
      minimal({ ProcessId: 'abc' }),
      minimal({ ProcessCreationTime: '2024-99-01T00:00:00Z' }),
      minimal({ ProcessCreationTime: '2024-02-30T00:00:00.0000000Z' }),
      '[1,2,3]',
    ];
    const parsed = await parseText(tempDir(), 'bad.json', lines.join('\n'), { table: 'DeviceProcessEvents' });
    expect(parsed.events).toEqual([]);
    expect(parsed.issues.map((i) => [i.line, i.message])).toEqual([
      [1, 'missing Timestamp'],
      [2, 'missing DeviceId and DeviceName'],
      [3, 'Timestamp: not a time: "not a time"'],
      [4, 'ProcessId: not an integer: "abc"'],
      [5, 'ProcessCreationTime: not a time: "2024-99-01T00:00:00Z"'],
      [6, 'ProcessCreationTime: not a time: "2024-02-30T00:00:00.0000000Z"'],
      [7, 'not a JSON object'],
    ]);
  });

  it('csv-wrong-cell-count and broken quotes: reported per record, the rest ingests', async () => {
    const csv = [
      'Timestamp,DeviceId,ActionType,ProcessId,ReportId',
      `2024-01-01T10:00:00Z,${DEVICE},ProcessCreated,4,1`,
      `2024-01-01T10:00:01Z,${DEVICE},ProcessCreated,4`,
      `2024-01-01T10:00:02Z,${DEVICE},ProcessCreated,"4"x",3`,
      `2024-01-01T10:00:03Z,${DEVICE},ProcessCreated,8,4`,
    ].join('\n');
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.csv', csv);
    expect(parsed.events.map((e) => e.reportId)).toEqual(['1', '4']);
    expect(parsed.issues.map((i) => i.line)).toEqual([3, 4]);
    expect(parsed.issues[0]?.message).toBe('expected 5 cells, found 4');
    expect(parsed.issues[1]?.message).toMatch(/^malformed CSV/);
  });
});
