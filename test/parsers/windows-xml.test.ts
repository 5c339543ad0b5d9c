// Windows events as XML (wevtutil qe /f:xml, Event Viewer's "Save as XML"): the corpus's EVTX records rendered both
// ways give the same events as the EVTX JSON they came from; framing holds wherever the stream cuts its chunks.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent, ProcessEvent } from '../../src/domain';
import { xmlEventItems } from '../../src/ingest/xml-event-items';
import { decodeColumns, parseWindowsEventLine, parseWindowsXmlEvent } from '../../src/parsers';
import { HAS_CORPUS } from '../helpers/corpus';
import { cutAt } from '../helpers/cut-at';
import { parseText } from '../helpers/parse-text';
import { useTempDirs } from '../helpers/temp-dir';
import { comparableEvent, readableCorpusRecords } from '../helpers/windows-corpus-records';

const ctx = { file: 'events.xml', forcedTable: null, fileTable: null };
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** A python-evtx record as Windows renders it in XML; `quote` is wevtutil's ' or Event Viewer's ". */
function asXml(record: Record<string, unknown>, quote: "'" | '"'): string {
  const q = (v: unknown) => `${quote}${escape(String(v))}${quote}`;
  const data = Object.entries(record.EventData as Record<string, string | null>)
    .map(([name, value]) => (value === '' || value === null ? `<Data Name=${q(name)}/>` : `<Data Name=${q(name)}>${escape(value)}</Data>`)).join('');
  const time = `${String(record.TimeCreated).replace(' ', 'T')}Z`;
  return `<Event xmlns=${q('http://schemas.microsoft.com/win/2004/08/events/event')}><System><Provider Name=${q(record.ProviderName)} Guid=${q(record.ProviderGuid)}/>`
    + `<EventID>${record.EventID}</EventID><Version>${record.Version}</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode>`
    + `<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime=${q(time)}/><EventRecordID>${record.EventRecordID}</EventRecordID>`
    + `<Correlation/><Execution ProcessID=${q(4)} ThreadID=${q(2884)}/><Channel>${escape(String(record.Channel))}</Channel>`
    + `<Computer>${escape(String(record.Computer))}</Computer><Security UserID=${q('S-1-5-18')}/></System><EventData>${data}</EventData></Event>`;
}

async function items(chunks: Buffer[], max?: number) {
  const out = { texts: [] as string[], lines: [] as number[], overlong: [] as Array<{ line: number; bytes: number; head: string }>, error: '' };
  try {
    for await (const batch of xmlEventItems(Readable.from(chunks, { objectMode: false }), max)) {
      out.texts.push(...batch.texts);
      out.lines.push(...batch.lines);
      out.overlong.push(...batch.overlong);
    }
  } catch (error) {
    out.error = (error as Error).message;
  }
  return out;
}

describe.skipIf(!HAS_CORPUS)('windows-xml conformance: the corpus records rendered as XML', () => {
  it.each([["wevtutil (')", "'"], ['Event Viewer (")', '"']] as const)('%s: every record gives the same event', (_name, quote) => {
    let compared = 0;
    for (const record of readableCorpusRecords()) {
      const expected = parseWindowsEventLine(JSON.stringify(record), 1, ctx).map((o) => comparableEvent((o as { ok: NormalizedEvent }).ok));
      expect(parseWindowsXmlEvent(asXml(record, quote), 1, ctx).map((o) => comparableEvent((o as { ok: NormalizedEvent }).ok))).toEqual(expected);
      compared++;
    }
    expect(compared).toBe(23);
  });
});

describe('windows-xml', () => {
  const tempDir = useTempDirs();
  const sysmon = (n: number, commandLine: string) => `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>`
    + `<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID>`
    + `<TimeCreated SystemTime='2021-04-26T15:16:04.0471222Z'/><EventRecordID>${n}</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>`
    + `<Computer>WS01.corp.local</Computer></System><EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>2021-04-26 15:16:04.046</Data>`
    + `<Data Name='ProcessGuid'>{p${n}}</Data><Data Name='ProcessId'>${3000 + n}</Data><Data Name='Image'>C:\\Windows\\System32\\cmd.exe</Data>`
    + `<Data Name='CommandLine'>${commandLine}</Data><Data Name='ParentImage'/></EventData></Event>`;

  it('xml-entities: character references and named entities are resolved; an empty <Data/> is an empty value; the XML is kept', () => {
    const [outcome] = parseWindowsXmlEvent(sysmon(7, 'cmd.exe /c &quot;echo &lt;a&gt; &amp;&amp; &#x41;&#66;&apos;&quot;'), 3, ctx);
    const event = (outcome as { ok: ProcessEvent }).ok;
    expect(event).toMatchObject({ commandLine: 'cmd.exe /c "echo <a> && AB\'"', pid: 3007, uniqueId: '{p7}', initiatorFileName: '',
      timeText: '2021-04-26 15:16:04.046', reportId: 'Microsoft-Windows-Sysmon/Operational:7', deviceId: 'ws01' });
    expect(decodeColumns('DeviceProcessEvents', event.columnsText)).toEqual({ EventXml: sysmon(7, 'cmd.exe /c &quot;echo &lt;a&gt; &amp;&amp; &#x41;&#66;&apos;&quot;') });
  });

  it('rendered-xml: /f:RenderedXml adds RenderingInfo (its own Channel, Provider and Message), which changes nothing read', () => {
    const plain = sysmon(8, 'cmd.exe');
    const rendered = plain.replace('</Event>', "<RenderingInfo Culture='en-US'><Message>Process Create:&#13;&#10;RuleName: -</Message><Level>Information</Level>"
      + '<Task>Process Create (rule: ProcessCreate)</Task><Channel>Other</Channel><Provider>Sysmon</Provider><Keywords></Keywords></RenderingInfo></Event>');
    const read = (text: string) => comparableEvent((parseWindowsXmlEvent(text, 1, ctx)[0] as { ok: NormalizedEvent }).ok);
    expect(read(rendered)).toEqual(read(plain));
  });

  it('frames the same events wherever the stream cuts its chunks, between and around the declaration and root', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.string({ maxLength: 20 }).map(escape), { minLength: 1, maxLength: 6 }), fc.boolean(),
      fc.array(fc.nat(), { maxLength: 12 }), async (lines, viewer, cuts) => {
        const events = lines.map((line, i) => sysmon(i + 1, line));
        const text = viewer ? `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${events.join('\r\n')}\r\n</Events>\r\n` : events.join('');
        const got = await items(cutAt(Buffer.from(text), cuts));
        expect(got).toEqual({ texts: events, lines: events.map((_, i) => i + 1), overlong: [], error: '' });
      }), { numRuns: 300 });
  });

  it('an event over the limit is reported with its first bytes; a file cut inside an event keeps the events before it', async () => {
    const big = sysmon(2, 'x'.repeat(5000));
    for (const cuts of [[], [100, 1500, 3000, big.length + 200]]) {
      const got = await items(cutAt(Buffer.from(sysmon(1, 'a') + big + sysmon(3, 'c')), cuts), 2000);
      expect([got.lines, got.error]).toEqual([[1, 3], '']);
      expect(got.overlong).toEqual([{ line: 2, bytes: big.length, head: big.slice(0, 1024) }]);
    }
    expect((await items([Buffer.from(sysmon(1, 'a') + sysmon(2, 'b').slice(0, 300))])).error).toBe('the file ends inside event 2');
  });

  it('hostile-xml-data: 100,000 unclosed <Data Name=" or <EventData> in one event are read in linear time, as no data', () => {
    // No other double quote follows: a pattern that may run to the end of the event at each of them is quadratic.
    const hostile = sysmon(9, 'cmd.exe').replace('<EventData>', `<EventData>${'<Data Name="'.repeat(100_000)}`);
    const [outcome] = parseWindowsXmlEvent(hostile, 1, ctx);
    expect((outcome as { ok: ProcessEvent }).ok).toMatchObject({ pid: 3009, commandLine: 'cmd.exe' });
    // And 100,000 <EventData> openings with no close: no event data, found without a search per opening.
    const unclosed = sysmon(10, 'x').replace(/<EventData>[\s\S]*<\/EventData>/, '<EventData>'.repeat(100_000));
    expect((parseWindowsXmlEvent(unclosed, 1, ctx)[0] as { ok: ProcessEvent }).ok).toMatchObject({ pid: null, commandLine: '' });
  });

  it('recognises the file by its start: a declaration, a root with or without attributes, or an event at once', async () => {
    const { isWindowsXml } = await import('../../src/parsers/windows-xml');
    expect(['<Event xmlns=\'x\'>', '<?xml version="1.0" encoding="UTF-16"?>\r\n<Events>\r\n<Event xmlns="x">', '<Events xmlns:xsi="y">\n<Event>',
      '<?xml version="1.0"?><!-- saved --><Events><Event xmlns="x">'].map(isWindowsXml)).toEqual([true, true, true, true]);
    expect(['<html><body>', '<?xml version="1.0"?><Events><Eventx>', '<Events>'].map(isWindowsXml)).toEqual([false, false, false]);
  });

  it('wevtutil output saved by PowerShell 5.1 (UTF-16 with a BOM) is read as Windows events; a truncated file is one reject', async () => {
    const text = [1, 2, 3].map((n) => sysmon(n, `cmd.exe /c echo ${n}`)).join('') + sysmon(4, 'cut').slice(0, 200);
    const parsed = await parseText(tempDir(), 'sysmon.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(parsed.format).toBe('windows-events');
    expect(parsed.events.map((e) => (e as ProcessEvent).commandLine)).toEqual(['cmd.exe /c echo 1', 'cmd.exe /c echo 2', 'cmd.exe /c echo 3']);
    expect(parsed.issues.map((i) => [i.line, i.message])).toEqual([[4, 'truncated: the file ends inside event 4']]);
    // Named with --format, it is still read as the XML it is.
    const forced = await parseText(tempDir(), 'forced.xml', Buffer.from(text), { format: 'windows-events' });
    expect(forced.events.map((e) => (e as ProcessEvent).commandLine)).toEqual(parsed.events.map((e) => (e as ProcessEvent).commandLine));
    expect(forced.issues.map((i) => [i.line, i.message])).toEqual([[4, 'truncated: the file ends inside event 4']]);
  });
});
