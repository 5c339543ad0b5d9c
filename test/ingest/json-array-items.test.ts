// Document framing: the items of a JSON array (the document itself, or the one under Results / records / value),
// the same wherever the stream cuts its chunks; a broken item is one reject, a broken document keeps what came before.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../src/domain';
import { FRAMES, jsonArrayItems, MalformedDocument, OBJECT_SEQUENCE } from '../../src/ingest/json-array-items';
import { cutAt } from '../helpers/cut-at';
import { fullRow } from '../helpers/mde-fixture-rows';
import { parseText } from '../helpers/parse-text';
import { useTempDirs } from '../helpers/temp-dir';

const KEYS = new Set(['Results', 'results', 'records', 'value', 'tables', 'Tables']);

async function collect(chunks: Buffer[], keys: Parameters<typeof jsonArrayItems>[1], max?: number) {
  const out = { texts: [] as string[], lines: [] as number[], overlong: [] as Array<{ line: number; bytes: number; head: string }>,
    tables: [] as Array<{ from: number; columns: string }>, error: null as MalformedDocument | null };
  try {
    for await (const batch of jsonArrayItems(Readable.from(chunks, { objectMode: false }), keys, max)) {
      out.texts.push(...batch.texts);
      out.lines.push(...batch.lines);
      out.overlong.push(...batch.overlong);
      out.tables.push(...batch.tables ?? []);
    }
  } catch (error) {
    if (!(error instanceof MalformedDocument)) throw error;
    out.error = error;
  }
  return out;
}

// Strings that trip a naive splitter: quotes, backslashes before quotes, brackets and commas inside strings, multi-byte text.
const nasty = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a"b', 'c\\', '\\"', '}],[{', 'jörg 日本 ✓', ',', '"Results":[', '\u2028'));
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(nasty, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(nasty, tie('node'), { maxKeys: 3 })),
})).node;

describe('jsonArrayItems', () => {
  it('yields each item of a top-level array, numbered, wherever the chunks cut (any JSON, any indentation)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(value, { maxLength: 8 }), fc.constantFrom(0, 2, 4), fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }),
      async (items, indent, bom, cuts) => {
        const text = (bom ? '\uFEFF' : '') + JSON.stringify(items, null, indent);
        const got = await collect(cutAt(Buffer.from(text), cuts), null);
        expect(got.error).toBeNull();
        // Compared with the items as JSON carries them (-0 is written as 0).
        expect(got.texts.map((t) => JSON.parse(t) as unknown)).toEqual(JSON.parse(JSON.stringify(items)));
        expect(got.lines).toEqual(items.map((_, i) => i + 1));
      }), { numRuns: 300 });
  });

  it('streams only the array under a container key at the top level, whatever comes before or after it', async () => {
    await fc.assert(fc.asyncProperty(fc.array(value, { maxLength: 6 }), fc.constantFrom('Results', 'results', 'records', 'value'), value, value,
      fc.array(fc.nat(), { maxLength: 10 }),
      async (items, key, before, after, cuts) => {
        // Another array before it (Schema), and the same key nested deeper, must not be streamed.
        const document = { Schema: [{ Name: 'Timestamp', Type: 'DateTime' }], Nested: { [key]: [before] }, Before: before, [key]: items, After: after };
        const got = await collect(cutAt(Buffer.from(JSON.stringify(document, null, 1)), cuts), KEYS);
        expect(got.error).toBeNull();
        expect(got.texts.map((t) => JSON.parse(t) as unknown)).toEqual(JSON.parse(JSON.stringify(items)));
      }), { numRuns: 200 });
  });

  it('a response of tables (Log Analytics, Data Explorer): each row an item, each table\'s columns before its rows, wherever the chunks cut', async () => {
    const table = fc.record({ columns: fc.array(fc.record({ name: nasty, type: nasty }), { maxLength: 4 }), rows: fc.array(fc.array(value, { maxLength: 4 }), { maxLength: 5 }),
      extra: value });
    await fc.assert(fc.asyncProperty(fc.array(table, { minLength: 1, maxLength: 3 }), fc.constantFrom('tables', 'Tables'), fc.constantFrom(0, 1),
      fc.array(fc.nat(), { maxLength: 10 }), async (tables, key, indent, cuts) => {
        const [columnsKey, rowsKey] = key === 'tables' ? ['columns', 'rows'] : ['Columns', 'Rows'];
        // Keys around them that must not be read as tables, columns or rows: the same names nested deeper, values of other keys.
        const document = { Before: { [key]: [{ [columnsKey]: [1], [rowsKey]: [[2]] }] },
          [key]: tables.map((t) => ({ name: t.extra, [columnsKey]: t.columns, nested: { [rowsKey]: [[t.extra]] }, [rowsKey]: t.rows, after: t.extra })) };
        const got = await collect(cutAt(Buffer.from(JSON.stringify(document, null, indent)), cuts), KEYS);
        expect(got.error).toBeNull();
        expect(got.texts.map((t) => JSON.parse(t) as unknown)).toEqual(JSON.parse(JSON.stringify(tables.flatMap((t) => t.rows))));
        let from = 1;
        const expected = tables.map((t) => {
          const at = from;
          from += t.rows.length;
          return { from: at, columns: JSON.parse(JSON.stringify(t.columns)) as unknown };
        });
        expect(got.tables.map((t) => ({ from: t.from, columns: JSON.parse(t.columns) as unknown }))).toEqual(expected);
      }), { numRuns: 200 });
  });

  it('Data Explorer\'s v2 frames: the rows of every table frame, each table\'s columns before its rows, wherever the chunks cut', async () => {
    const table = fc.record({ columns: fc.array(fc.record({ ColumnName: nasty, ColumnType: nasty }), { maxLength: 4 }),
      rows: fc.array(fc.array(value, { maxLength: 4 }), { maxLength: 5 }), extra: value });
    await fc.assert(fc.asyncProperty(fc.array(table, { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 1), fc.array(fc.nat(), { maxLength: 10 }),
      async (tables, indent, cuts) => {
        const frames = [{ FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
          ...tables.map((t, i) => ({ FrameType: 'DataTable', TableId: i, Extra: { Columns: [], Rows: [[t.extra]] }, Columns: t.columns, Rows: t.rows, After: t.extra })),
          { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false }];
        const got = await collect(cutAt(Buffer.from(JSON.stringify(frames, null, indent)), cuts), FRAMES);
        expect(got.error).toBeNull();
        expect(got.texts.map((t) => JSON.parse(t) as unknown)).toEqual(JSON.parse(JSON.stringify(tables.flatMap((t) => t.rows))));
        expect(got.tables.map((t) => JSON.parse(t.columns) as unknown)).toEqual(JSON.parse(JSON.stringify(tables.map((t) => t.columns))));
      }), { numRuns: 200 });
  });

  it('a table whose rows come before its columns is a broken document, not rows read with no names', async () => {
    const got = await collect([Buffer.from('{"tables":[{"rows":[[1,2]],"columns":[{"name":"a"},{"name":"b"}]}]}')], KEYS);
    expect(got.texts).toEqual([]);
    expect(got.error?.message).toBe("a table's rows come before its columns");
  });

  it('a broken item is handed over as it is (the caller rejects it); a truncated document ends with where it broke', async () => {
    const broken = await collect([Buffer.from('[{"a":1},\n{"a":tru},{"a":3}]')], null);
    expect([broken.texts, broken.error]).toEqual([['{"a":1}', '{"a":tru}', '{"a":3}'], null]);
    const truncated = await collect([Buffer.from('{"Results":[{"a":1},{"a":2'), Buffer.from(',"b":"x')], KEYS);
    expect(truncated.texts).toEqual(['{"a":1}']);
    expect([truncated.error?.message, truncated.error?.position]).toEqual(['the document ends inside item 2', 2]);
    expect((await collect([Buffer.from('{"a":1}')], null)).error?.message).toBe('not a JSON array');
    expect((await collect([Buffer.from('{"Result\\"s":[1],"Results":[2]}')], KEYS)).texts).toEqual(['2']); // an escaped key is not Results
    expect((await collect([Buffer.from('[1,2] x')], null)).error?.message).toBe('text after the end of the document');
    // Documents one after another (cat a.json b.json): every item of each, numbered on.
    const concatenated = await collect(cutAt(Buffer.from('[1,2]\n[3]{"Results":[4]}\n{"Schema":[],"results":[5,6]}'), [3, 9, 20]), KEYS);
    expect([concatenated.texts, concatenated.lines, concatenated.error]).toEqual([['1', '2', '3', '4', '5', '6'], [1, 2, 3, 4, 5, 6], null]);
    expect(await collect([Buffer.from('[1]\n[]\n{"Results":[]}[2]')], KEYS)).toMatchObject({ texts: ['1', '2'], lines: [1, 2], error: null }); // empty ones between
    // A break in the middle of a chunk: the items before it in that chunk are still handed over.
    const brokenMidChunk = await collect([Buffer.from('[1]\n[2,]')], null);
    expect([brokenMidChunk.texts, brokenMidChunk.error?.message]).toEqual([['1', '2'], 'an empty item after item 2']);
  });

  it('a sequence of top-level objects (jq, ConvertTo-Json per row): each object is an item, wherever the chunks cut', async () => {
    const object = fc.dictionary(nasty, value, { maxKeys: 4 });
    await fc.assert(fc.asyncProperty(fc.array(object, { maxLength: 8 }), fc.constantFrom(0, 2, 4), fc.constantFrom('', '\n', '\r\n', ' \n\t'),
      fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }),
      async (items, indent, between, bom, cuts) => {
        const text = (bom ? '\uFEFF' : '') + items.map((item) => JSON.stringify(item, null, indent)).join(between) + between;
        const got = await collect(cutAt(Buffer.from(text), cuts), OBJECT_SEQUENCE);
        expect(got.error).toBeNull();
        expect(got.texts.map((t) => JSON.parse(t) as unknown)).toEqual(JSON.parse(JSON.stringify(items)));
        expect(got.lines).toEqual(items.map((_, i) => i + 1));
      }), { numRuns: 300 });
    // What is not an object between them ends the sequence there, saying where; an object cut short is named.
    const stray = await collect([Buffer.from('{"a":1}\n{"a":2},\n{"a":3}')], OBJECT_SEQUENCE);
    expect([stray.texts, stray.error?.message, stray.error?.position]).toEqual([['{"a":1}', '{"a":2}'], 'text after object 2: ","', 3]);
    expect((await collect([Buffer.from('[{"a":1}]')], OBJECT_SEQUENCE)).error?.message).toBe('not a JSON object: "["');
    const cut = await collect([Buffer.from('{"a":1} {"a":{"b":2}')], OBJECT_SEQUENCE);
    expect([cut.texts, cut.error?.message]).toEqual([['{"a":1}'], 'the document ends inside object 2']);
  });

  it('an item over the limit is reported by position, length and first bytes, and the items after it still read', async () => {
    const big = `{"a":"${'x'.repeat(5000)}"}`;
    const text = `[{"a":1},${big},{"a":3}]`;
    for (const cuts of [[], [20, 1000, 3000, 5004]]) {
      const got = await collect(cutAt(Buffer.from(text), cuts), null, 2000);
      expect(got.texts).toEqual(['{"a":1}', '{"a":3}']);
      expect(got.lines).toEqual([1, 3]);
      expect(got.overlong).toEqual([{ line: 2, bytes: big.length, head: big.slice(0, 1024) }]);
    }
  });
});

describe('document ingest', () => {
  const tempDir = useTempDirs();

  it('api-json-malformed-row: one row that is not JSON is one reject at its position; the rows after it are stored', async () => {
    const rows = [1, 2, 3].map((i) => JSON.stringify(fullRow('DeviceProcessEvents', i)));
    rows[1] = rows[1]!.replace('"ProcessId":', '"ProcessId":tru,"x":');
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.json', `{"Schema":[{"Name":"Timestamp","Type":"DateTime"}],"Results":[\n${rows.join(',\n')}\n]}`);
    expect(parsed.format).toBe('mde-api-json');
    expect(parsed.events.map((e) => (e as ProcessEvent).reportId)).toHaveLength(2);
    expect(parsed.lines).toEqual([1, 3]);
    expect(parsed.issues.map((i) => [i.line, i.message.startsWith('malformed JSON: ')])).toEqual([[2, true]]);
  });

  it('log-analytics-and-data-explorer-tables: rows zipped with their columns; query tables skipped; a row of the wrong width is one reject', async () => {
    const names = ['Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'ProcessId', 'FileName', 'ProcessCreationTime', 'ReportId', '__proto__'];
    const row = (i: number) => JSON.stringify(names.map((name) => (name === '__proto__' ? { polluted: true }
      : (fullRow('DeviceProcessEvents', i) as Record<string, unknown>)[name])));
    const la = `{"tables":[{"name":"PrimaryResult","columns":${JSON.stringify(names.map((name) => ({ name, type: 'string' })))},"rows":[${row(1)},[1,2],${row(3)}]}]}`;
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.json', la);
    expect(parsed.format).toBe('mde-api-json');
    expect(parsed.lines).toEqual([1, 3]);
    expect(parsed.events.map((e) => e.table)).toEqual(['DeviceProcessEvents', 'DeviceProcessEvents']);
    expect(parsed.issues.map((i) => [i.line, i.message])).toEqual([[2, 'a row of 2 values for 9 columns']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Data Explorer's v1 response: its query tables have no device columns, so their rows are skipped, not rejected.
    const adx = `{"Tables":[{"TableName":"Table_0","Columns":${JSON.stringify(names.map((name) => ({ ColumnName: name, DataType: 'String', ColumnType: 'string' })))},`
      + `"Rows":[${row(1)}]},{"TableName":"Table_1","Columns":[{"ColumnName":"Ordinal","DataType":"Int64"},{"ColumnName":"Kind","DataType":"String"}],"Rows":[[0,"QueryResult"],[1,"QueryStatus"]]}]}`;
    const fromAdx = await parseText(tempDir(), 'export.json', adx);
    expect(fromAdx.events).toEqual(parsed.events.slice(0, 1));
    expect(fromAdx.skipped).toEqual({ 'result table without DeviceId or DeviceName': 2 });
    expect(fromAdx.issues).toEqual([]);
  });

  it('tables-each-with-its-columns: rows are read with their own table\'s columns, past tables with no rows', async () => {
    const names = ['Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'ProcessId', 'FileName', 'ProcessCreationTime', 'ReportId'];
    const table = (order: string[], ids: number[]) => ({ name: 'PrimaryResult', columns: order.map((name) => ({ name, type: 'string' })),
      rows: ids.map((i) => order.map((name) => (fullRow('DeviceProcessEvents', i) as Record<string, unknown>)[name])) });
    const reversed = [...names].reverse();
    const doc = JSON.stringify({ tables: [table(names, [1]), table(['Other'], []), table(['Nope', 'Neither'], []), table(reversed, [2, 3])] });
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.json', doc);
    expect(parsed.issues).toEqual([]);
    expect(parsed.events.map((e) => (e as ProcessEvent).pid)).toEqual([1, 2, 3].map((i) => (fullRow('DeviceProcessEvents', i) as { ProcessId: number }).ProcessId));
  });

  it('document-row-reject-keeps-its-text: a rejected row keeps its text as the file has it; a record of a message, its own JSON', async () => {
    const bad = { ...fullRow('DeviceProcessEvents', 2), Timestamp: 'never' };
    const doc = JSON.stringify({ Schema: [], Results: [fullRow('DeviceProcessEvents', 1), bad] }, null, 2);
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.json', doc);
    expect(parsed.issues.map((issue) => [issue.line, issue.message])).toEqual([[2, 'Timestamp: not a time: "never"']]);
    const text = parsed.issues[0]!.raw;
    expect(doc).toContain(text); // the item's own bytes, indentation and all
    expect(JSON.parse(text)).toEqual(bad);
    const record = (row: Record<string, unknown>) => ({ category: 'AdvancedHunting-DeviceProcessEvents', properties: row });
    const message = JSON.stringify({ records: [record(fullRow('DeviceProcessEvents', 1)), record(bad)] });
    const streamed = await parseText(tempDir(), 'hub.json', `${message}\n`);
    expect(streamed.events).toHaveLength(1);
    expect(streamed.issues.map((issue) => JSON.parse(issue.raw) as unknown)).toEqual([record(bad)]);
  });

  it('pretty-printed-rows-one-after-another: each row is stored; a malformed one is one reject at its position', async () => {
    const rows = [1, 2, 3, 4].map((i) => JSON.stringify(fullRow('DeviceProcessEvents', i), null, 2));
    rows[2] = rows[2]!.replace('"ProcessId":', '"ProcessId": tru, "x":');
    const parsed = await parseText(tempDir(), 'DeviceProcessEvents.json', `${rows.join('\n')}\n`);
    expect(parsed.format).toBe('mde-ndjson');
    expect(parsed.events.map((e) => (e as ProcessEvent).reportId)).toHaveLength(3);
    expect(parsed.lines).toEqual([1, 2, 4]);
    expect(parsed.issues.map((i) => [i.line, i.message.startsWith('malformed JSON: ')])).toEqual([[3, true]]);
    // The same rows as one compact line each store the same events.
    const lines = await parseText(tempDir(), 'DeviceProcessEvents.json', [1, 2, 4].map((i) => JSON.stringify(fullRow('DeviceProcessEvents', i))).join('\n'));
    expect(parsed.events).toEqual(lines.events);
  });
});
