// EVTX converted to JSON by the Go converters (golang-evtx's evtxdump, fox) and by Velociraptor's parse_evtx(): the
// corpus's records, rewritten in each shape, give the same events as the python-evtx JSON they came from.
import { describe, expect, it } from 'vitest';
import { parseTime, type NormalizedEvent, type ProcessEvent } from '../../src/domain';
import { parseWindowsEventLine } from '../../src/parsers';
import { HAS_CORPUS } from '../helpers/corpus';
import { parseText } from '../helpers/parse-text';
import { useTempDirs } from '../helpers/temp-dir';
import { comparableEvent, readableCorpusRecords } from '../helpers/windows-corpus-records';

const ctx = { file: 'events.json', forcedTable: null, fileTable: null };
const parse = (record: Record<string, unknown>) => parseWindowsEventLine(JSON.stringify(record), 1, ctx);

/** The System part both shapes share, attributes as plain keys. */
function system(record: Record<string, unknown>, eventId: unknown, systemTime: unknown): Record<string, unknown> {
  return {
    Provider: { Name: record.ProviderName, Guid: record.ProviderGuid }, EventID: eventId, Version: Number(record.Version), Level: 4,
    TimeCreated: { SystemTime: systemTime }, EventRecordID: Number(record.EventRecordID), Correlation: {},
    Execution: { ProcessID: 4, ThreadID: 2884 }, Channel: record.Channel, Computer: record.Computer, Security: { UserID: 'S-1-5-18' },
  };
}

/** python-evtx's `2021-04-26 15:16:03.001966` (UTC) as seconds since the epoch, as Velociraptor writes it. */
const epochSeconds = (utc: string): number => Number(parseTime(utc)?.ticks ?? 0n) / 1e7;
const isoZ = (utc: string): string => `${utc.replace(' ', 'T')}Z`;

const velociraptor = (record: Record<string, unknown>) => ({
  System: system(record, { Value: Number(record.EventID) }, epochSeconds(String(record.TimeCreated))),
  EventData: record.EventData, Message: 'rendered text',
});
const goEvtx = (record: Record<string, unknown>) => ({
  Event: { EventData: record.EventData, System: system(record, String(record.EventID), isoZ(String(record.TimeCreated))) },
});

describe.skipIf(!HAS_CORPUS)('evtx converters conformance: the corpus records in each converter\'s shape', () => {
  it.each([['velociraptor parse_evtx', velociraptor, 10n], ['golang-evtx', goEvtx, 1n]] as const)('%s: every record gives the same event', (_name, rewrite, unit) => {
    let compared = 0;
    for (const record of readableCorpusRecords()) {
      const expected = parseWindowsEventLine(JSON.stringify(record), 1, ctx).map((o) => comparableEvent((o as { ok: NormalizedEvent }).ok, unit));
      expect(parse(rewrite(record)).map((o) => comparableEvent((o as { ok: NormalizedEvent }).ok, unit))).toEqual(expected);
      compared++;
    }
    expect(compared).toBe(23);
  });
});

describe('evtx converter quirks', () => {
  it('velociraptor-epoch-systemtime: a float of seconds is read to the microsecond, with no invented 100-ns digits', () => {
    const [outcome] = parse({ System: { Provider: { Name: 'Microsoft-Windows-Security-Auditing' }, EventID: { Value: 4688 }, Channel: 'Security',
      Computer: 'srv01.corp.local', EventRecordID: 9, TimeCreated: { SystemTime: 1619450164.0471222 } },
    EventData: { NewProcessId: '0xda4', NewProcessName: 'C:\\Windows\\System32\\mmc.exe', ProcessId: '0x294' }, Message: 'A new process has been created.' });
    expect((outcome as { ok: ProcessEvent }).ok).toMatchObject({ timeText: '2021-04-26T15:16:04.0471220Z', pid: 3492, initiatorPid: 660, reportId: 'Security:9' });
  });

  it('go-evtx-eventid-value: EventID as {"Value","Qualifiers"} and Provider.Name as a plain key', () => {
    const [outcome] = parse({ Event: { System: { Provider: { Name: 'Microsoft-Windows-Sysmon' }, EventID: { Qualifiers: '', Value: '1' },
      Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS01', EventRecordID: '7', TimeCreated: { SystemTime: '2021-04-26T15:16:04Z' } },
    EventData: { UtcTime: '2021-04-26 15:16:04.046', ProcessGuid: '{c}', ProcessId: '3492', Image: 'C:\\Windows\\System32\\mmc.exe' } } });
    expect((outcome as { ok: ProcessEvent }).ok).toMatchObject({ actionType: 'ProcessCreated', timeText: '2021-04-26 15:16:04.046', pid: 3492, uniqueId: '{c}' });
  });

  it('velociraptor-artifact-eventtime: Windows.EventLogs.EvtxHunter rows are timed by EventTime when it carries its zone', () => {
    const row = { EventTime: '2021-04-26T15:16:04Z', Computer: 'srv01.corp.local', Channel: 'Security', Provider: 'Microsoft-Windows-Security-Auditing',
      EventID: 4688, EventRecordID: 9, UserSID: '', Username: '', EventData: { NewProcessId: '0xda4', NewProcessName: 'C:\\Windows\\System32\\mmc.exe', ProcessId: '0x294' },
      UserData: null, Message: 'A new process has been created.', OSPath: 'C:\\Windows\\System32\\winevt\\Logs\\Security.evtx' };
    expect((parse(row)[0] as { ok: ProcessEvent }).ok).toMatchObject({ timeText: '2021-04-26T15:16:04Z', pid: 3492, reportId: 'Security:9' });
    // A zone-less EventTime is some collector's local time: not guessed at.
    expect(parse({ ...row, EventTime: '2021-04-26 15:16:04' })[0]).toMatchObject({ issue: { message: 'not a time: ""' } });
  });

  const tempDir = useTempDirs();
  it('a Velociraptor JSONL export is recognised as Windows events from its first line, and so is a JSON array of its rows', async () => {
    const row = { System: { Provider: { Name: 'Microsoft-Windows-Sysmon' }, EventID: { Value: 1 }, Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'WS01', EventRecordID: 7, TimeCreated: { SystemTime: 1619450164.047 } }, EventData: { UtcTime: '2021-04-26 15:16:04.046', ProcessId: 1 } };
    const parsed = await parseText(tempDir(), 'Windows.EventLogs.Evtx.json', `${JSON.stringify(row)}\n`);
    expect([parsed.format, parsed.events.length, parsed.issues]).toEqual(['windows-events', 1, []]);
    // The same rows gathered into one JSON array (jq -s, a tool's JSON download), pretty-printed.
    const array = await parseText(tempDir(), 'events.json', JSON.stringify([row, { ...row, System: { ...row.System, EventRecordID: 8 } }], null, 2));
    expect([array.format, array.events.length, array.issues]).toEqual(['windows-events', 2, []]);
  });
});
