// Binary Windows event logs (.evtx) are read natively: each corpus .evtx gives the events that python-evtx's
// conversion of the same file (the .jsonl beside it) gives, and damage costs the records it touches, not the file.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../src/domain';
import { CHUNK_BYTES, evtxChunkRecords } from '../../src/parsers';
import { corpusFile, HAS_CORPUS } from '../helpers/corpus';
import { parseText } from '../helpers/parse-text';
import { useTempDirs } from '../helpers/temp-dir';
import { writeEvtx, type EvtxTestRecord } from '../helpers/evtx-writer';
import { comparableEvent } from '../helpers/windows-corpus-records';

const LOGS = [
  ['Lateral Movement', 'LM_DCOM_MSHTA_LethalHTA_Sysmon_3_1'],
  ['Lateral Movement', 'LM_dcom_shwnd_shbrwnd_mmc20_failed_traces_system_10016'],
  ['Lateral Movement', 'LM_impacket_docmexec_mmc_sysmon_01'],
  ['Lateral Movement', 'LM_sysmon_3_DCOM_ShellBrowserWindow_ShellWindows'],
  ['Other', 'maldoc_mshta_via_shellbrowserwind_rundll32'],
  ['history-5626b08', 'LM_dcom_InternetExplorer.Application_sysmon_1'],
] as const;

const MICROSECOND = 10n; // python-evtx keeps record times to the microsecond; the .evtx holds 100-ns ticks

describe.skipIf(!HAS_CORPUS)('evtx: binary Windows event logs', () => {
  const tempDir = useTempDirs();
  const read = (folder: string, name: string, extension: string) => readFileSync(corpusFile('evtx-attack-samples', folder, `${name}${extension}`));

  it.each(LOGS)('%s/%s.evtx gives the events and skips of its python-evtx conversion', async (folder, name) => {
    const dir = tempDir();
    const binary = await parseText(dir, `${name}.evtx`, read(folder, name, '.evtx'));
    const converted = await parseText(dir, `${name}.jsonl`, read(folder, name, '.jsonl'));
    expect(binary.format).toBe('windows-events');
    expect(binary.issues).toEqual([]);
    expect(binary.skipped).toEqual(converted.skipped);
    expect(binary.events.map((e) => comparableEvent(e, MICROSECOND))).toEqual(converted.events.map((e) => comparableEvent(e, MICROSECOND)));
    expect(binary.events.length + Object.values(binary.skipped).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('keeps each record as the XML Event Viewer shows: text escaped, names checked', async () => {
    const original = read('Lateral Movement', 'LM_DCOM_MSHTA_LethalHTA_Sysmon_3_1', '.evtx');
    const hostile = Buffer.from(original);
    // The command line's "-E" becomes "<&" (same length): markup in a value must stay text.
    const at = hostile.indexOf(Buffer.from('mshta.exe -Embedding', 'utf16le'));
    hostile.write('<&', at + 20, 'utf16le');
    const escaped = await parseText(tempDir(), 'hostile.evtx', hostile);
    expect((JSON.parse(escaped.columns[0] as string) as { EventXml: string }).EventXml).toContain('mshta.exe &lt;&amp;mbedding</Data>');
    expect(escaped.events[0]).toMatchObject({ commandLine: 'C:\\Windows\\System32\\mshta.exe <&mbedding' });
    // A name is markup, not text: one that is no XML name ("Comput<r") fails the records that use it.
    const badName = Buffer.from(original);
    badName.write('Comput<r', badName.indexOf(Buffer.from('Computer', 'utf16le')), 'utf16le');
    const refused = await parseText(tempDir(), 'bad-name.evtx', badName);
    expect(refused.events).toEqual([]);
    expect(refused.issues.map((issue) => issue.message)).toEqual([1, 2].map(() => expect.stringContaining('"Comput<r" is not an XML name')));
    const parsed = await parseText(tempDir(), 'lethal.evtx', original);
    const stored = JSON.parse(parsed.columns[0] as string) as { EventXml: string };
    expect(stored.EventXml).toMatch(/^<Event xmlns="http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event"><System><Provider Name="Microsoft-Windows-Sysmon"/);
    expect(stored.EventXml).toContain('<TimeCreated SystemTime="2019-05-14T01:29:04.3068859Z"/><EventRecordID>17589</EventRecordID>');
    expect(stored.EventXml).toContain('<Data Name="CommandLine">C:\\Windows\\System32\\mshta.exe -Embedding</Data>');
    expect(parsed.events[0]).toMatchObject({ kind: 'process', pid: 1932, fileName: 'mshta.exe', initiatorPid: 596, initiatorCommandLine: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch' });
  });

  it('a damaged record is one reject naming its record; a damaged chunk one reject; the rest still read', async () => {
    const original = read('Lateral Movement', 'LM_impacket_docmexec_mmc_sysmon_01', '.evtx');
    const whole = await parseText(tempDir(), 'whole.evtx', original);
    // The third record's binary XML: its first token overwritten with one that cannot start a record's content.
    const damaged = Buffer.from(original);
    let record = 4096 + 512;
    for (let i = 0; i < 2; i++) record += damaged.readUInt32LE(record + 4);
    damaged[record + 24] = 0x02;
    const one = await parseText(tempDir(), 'one.evtx', damaged);
    expect(one.issues.map((issue) => [issue.line, issue.message])).toEqual([
      [3, expect.stringMatching(new RegExp(`^evtx: record ${damaged.readBigUInt64LE(record + 8)}: binary XML not readable`))],
    ]);
    expect(one.events.length + Object.values(one.skipped).reduce((a, b) => a + b, 0)).toBe(8);
    // A second chunk that is neither a chunk nor unused space, then a file cut inside a third.
    const extended = Buffer.concat([original, Buffer.alloc(CHUNK_BYTES, 0x41), Buffer.alloc(100, 0x42)]);
    const tail = await parseText(tempDir(), 'tail.evtx', extended);
    expect(tail.events).toEqual(whole.events);
    expect(tail.issues.map((issue) => [issue.line, issue.message])).toEqual([
      [10, 'evtx: a chunk that is not an event log chunk (no ElfChnk signature): skipped'], [10, 'evtx: the file ends inside a chunk (100 of 65536 bytes): truncated'],
    ]);
  });

  it('a record whose templates expand exponentially is one reject', () => {
    // 64 template definitions, each instantiating the one before it twice: a naive reader expands the record 2^64-fold.
    const chunk = Buffer.alloc(CHUNK_BYTES);
    chunk.write('ElfChnk\0', 0, 'latin1');
    const instance = (definition: number): Buffer => {
      const bytes = Buffer.alloc(14);
      bytes.writeUInt8(0x0c, 0);
      bytes.writeUInt8(1, 1);
      bytes.writeUInt32LE(definition, 6); // template id 0, then where the definition is; then no values
      return bytes;
    };
    const fragment = (body: Buffer[]): Buffer => Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), ...body, Buffer.from([0x00])]);
    let definition = 4096;
    let previous = -1;
    for (let i = 0; i < 64; i++) {
      const tokens = fragment(previous < 0 ? [] : [instance(previous), instance(previous)]);
      chunk.writeUInt32LE(tokens.length, definition + 20);
      tokens.copy(chunk, definition + 24);
      previous = definition;
      definition += 24 + tokens.length;
    }
    const body = fragment([instance(previous)]);
    const size = 24 + body.length + 4;
    chunk.writeUInt32LE(0x00002a2a, 512);
    chunk.writeUInt32LE(size, 516);
    chunk.writeBigUInt64LE(7n, 520);
    body.copy(chunk, 536);
    chunk.writeUInt32LE(size, 512 + size - 4);
    chunk.writeUInt32LE(512 + size, 48);
    // Without the bound this never returns.
    expect(evtxChunkRecords(chunk)).toEqual([{ recordId: '7', error: expect.stringContaining('expands past 100,000 tokens') }]);
  });
});

describe('evtx: logs written here, chunk after chunk', () => {
  const tempDir = useTempDirs();
  /** Text a process may carry: markup, quotes, any code point; what Sysmon would write as unknown is left out. */
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('<', '>', '&', '"', "'", '\\', ' ', ']]>', '\r'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 60 })
    .filter((value) => value === value.trim() && !value.includes('\0') && !['?', '-', '<unknown process>'].includes(value));
  const sysmon1 = (i: number, commandLine: string, parentCommandLine: string, user: string): EvtxTestRecord => ({
    recordId: BigInt(1000 + i), provider: 'Microsoft-Windows-Sysmon', eventId: 1, fileTime: 132_639_921_640_471_222n + BigInt(i),
    channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'WS01',
    data: [['UtcTime', '2021-04-26 15:16:04.047'], ['ProcessGuid', `{p${i}}`], ['ProcessId', String(4000 + i)], ['Image', 'C:\\w\\cmd.exe'],
      ['CommandLine', commandLine], ['User', user], ['ParentProcessGuid', '{parent}'], ['ParentProcessId', '612'],
      ['ParentImage', 'C:\\Windows\\System32\\svchost.exe'], ['ParentCommandLine', parentCommandLine]],
  });

  it('every record comes back with its text exactly, whatever it holds, across chunks', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 400 }), async (rows) => {
      const log = writeEvtx(rows.map(([commandLine, parent, user], i) => sysmon1(i, commandLine, parent, user)));
      const parsed = await parseText(tempDir(), 'sysmon.evtx', log);
      expect(parsed.issues).toEqual([]);
      expect(parsed.events.map((event) => {
        const p = event as ProcessEvent;
        return [p.pid, p.commandLine, p.initiatorCommandLine, p.accountName, p.uniqueId];
      })).toEqual(rows.map(([commandLine, parent, user], i) => [4000 + i, commandLine, parent, user, `{p${i}}`]));
    }), { numRuns: 40 });
  });

  it('the data of records Lineage never reads is passed over, with the events and skips of reading every record whole', async () => {
    // Security logons (never read) between process creations, and Sysmon records read and not read, in one log.
    const kinds = [['Security', 'Microsoft-Windows-Security-Auditing', 4624], ['Security', 'Microsoft-Windows-Security-Auditing', 4688],
      ['Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 13], ['Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 1],
      ['Security', 'Microsoft-Windows-Security-Auditing', 4689]] as const;
    const records: EvtxTestRecord[] = Array.from({ length: 900 }, (_, i) => {
      const [channel, provider, eventId] = kinds[(i * 7) % kinds.length]!;
      return { ...sysmon1(i, `cmd.exe /c echo ${i}`, 'services.exe', 'CORP\\alice'), channel, provider, eventId,
        data: [...sysmon1(i, `cmd.exe /c echo ${i}`, 'services.exe', 'CORP\\alice').data, ['NewProcessId', `0x${(0x100 + i).toString(16)}`],
          ['NewProcessName', 'C:\\w\\cmd.exe'], ['ProcessId', '0x254'], ['SubjectUserName', 'alice']] };
    });
    for (const zeroSizes of [false, true]) {
      const log = writeEvtx(records, { zeroSizes });
      const chunks = Array.from({ length: (log.length - 4096) / CHUNK_BYTES }, (_, i) => log.subarray(4096 + i * CHUNK_BYTES, 4096 + (i + 1) * CHUNK_BYTES));
      expect(chunks.length).toBeGreaterThan(1);
      // The same records rendered whole, as a wevtutil XML export: read by the XML path, which reads every record's data.
      const whole = chunks.flatMap((chunk) => evtxChunkRecords(chunk)).map((record) => ('xml' in record ? record.xml : record.error));
      const passedOver = chunks.flatMap((chunk) => evtxChunkRecords(chunk, true)).map((record) => ('xml' in record ? record.xml : record.error));
      expect(passedOver.filter((xml) => !xml.includes('<EventData>'))).toHaveLength(360);
      const binary = await parseText(tempDir(), 'mixed.evtx', log);
      const xml = await parseText(tempDir(), 'mixed.xml', whole.join('\r\n'));
      expect(binary.issues).toEqual([]);
      expect(binary.skipped).toEqual({ 'Security 4624': 180, 'Sysmon 13': 180 });
      expect(binary.skipped).toEqual(xml.skipped);
      expect(binary.events).toEqual(xml.events);
      expect(binary.events).toHaveLength(540);
    }
  });
});
