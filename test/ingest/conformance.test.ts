// Parser conformance: the same events written in every format Lineage reads give identical stored rows.
import { writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../src/domain';
import { decodeUtf8OrWindows1252, ingestPaths, RECODED_WARNING } from '../../src/ingest';
import { WRITER_FORMATS, formatRows, type RowWriterOptions, type WriterFormat } from '../../src/simulate';
import { createIngestSink, openStore, type Store } from '../../src/store';
import { fixtureRows } from '../helpers/mde-fixture-rows';
import { storedEvents } from '../helpers/store-rows';
import { useTempDirs } from '../helpers/temp-dir';

const EXTENSION: Record<WriterFormat, string> = {
  'mde-ndjson': 'json', 'mde-stream': 'json', 'mde-eventhub': 'json', 'mde-api-json': 'json', 'mde-graph-json': 'json',
  'mde-la-json': 'json', 'mde-adx-json': 'json', 'mde-adx2-json': 'json', 'mde-csv': 'csv',
};

/** `text` as Windows PowerShell 5.1 saves it (`>` or Out-File): UTF-16 with a byte order mark. */
function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
}

/** Encodes text in Windows-1252 (throws on a character it lacks); the table itself is pinned in decode-text.test.ts. */
function ansiEncoder(): (text: string) => Buffer {
  const byteOf = new Map(Array.from({ length: 256 }, (_, byte) => [decodeUtf8OrWindows1252(Buffer.from([byte])), byte]));
  return (text) => Buffer.from(Array.from(text, (char) => {
    const byte = byteOf.get(char);
    if (byte === undefined) throw new Error(`not in Windows-1252: ${char}`);
    return byte;
  }));
}

function writeFormat(dir: string, format: WriterFormat,
  options: { gzip?: boolean; utf16?: 'le' | 'be' } & RowWriterOptions = {}): string {
  const folder = join(dir, format);
  mkdirSync(folder, { recursive: true });
  const rows = fixtureRows();
  for (const table of TABLE_NAMES) {
    const text = formatRows(format, table, rows[table], options);
    const name = join(folder, `${table}.${EXTENSION[format]}${options.gzip ? '.gz' : ''}`);
    const bytes = options.utf16 ? utf16(text, options.utf16) : Buffer.from(text);
    writeFileSync(name, options.gzip ? gzipSync(bytes) : bytes);
  }
  return folder;
}

async function ingestInto(db: Store, paths: string[]) {
  return ingestPaths(paths, { sink: createIngestSink(db), workers: 0, now: () => '2026-01-01T00:00:00Z' });
}

describe('every format stores the same rows', () => {
  const tempDir = useTempDirs();

  it('NDJSON, streaming blob, Event Hubs, API JSON, Graph JSON, Log Analytics and Data Explorer tables, and CSV agree column for column', async () => {
    const dir = tempDir();
    const results = new Map<WriterFormat, Record<string, unknown>[]>();
    for (const format of WRITER_FORMATS) {
      const db = openStore(join(dir, `${format}.db`));
      const summary = await ingestInto(db, [writeFormat(dir, format, { utcSuffix: true })]);
      expect(summary.rejects, `${format}: ${summary.messages.join('; ')}`).toBe(0);
      expect(summary.events).toEqual({ DeviceProcessEvents: 3, DeviceNetworkEvents: 2 });
      results.set(format, storedEvents(db));
      db.close();
    }
    const reference = results.get('mde-ndjson');
    expect(reference).toHaveLength(5);
    for (const [format, rows] of results) expect(rows, format).toEqual(reference);
  });

  it('CSV with semicolons (Excel where the decimal mark is a comma, with or without its sep= line), tabs, or from PowerShell stores the comma form', async () => {
    const dir = tempDir();
    const comma = openStore(join(dir, 'comma.db'));
    await ingestInto(comma, [writeFormat(join(dir, 'comma'), 'mde-csv', { utcSuffix: true })]);
    const expected = storedEvents(comma);
    expect(expected).toHaveLength(5);
    const variants: Array<[string, RowWriterOptions]> = [['semicolon', { separator: ';' }], ['excel', { separator: ';', excelSeparatorLine: true }],
      ['tab', { separator: '\t' }], ['comma-sep-line', { excelSeparatorLine: true }], ['powershell', { powershell: true }],
      ['powershell-semicolon', { powershell: true, separator: ';' }]];
    for (const [name, options] of variants) {
      const db = openStore(join(dir, `${name}.db`));
      const summary = await ingestInto(db, [writeFormat(join(dir, name), 'mde-csv', { utcSuffix: true, ...options })]);
      expect(summary.rejects, `${name}: ${summary.messages.join('; ')}`).toBe(0);
      expect(summary.perFile.map((file) => file.format), name).toEqual(['mde-csv', 'mde-csv']);
      expect(storedEvents(db), name).toEqual(expected);
      db.close();
    }
  });

  it('gzip files read the same as plain ones, recognised by content', async () => {
    const dir = tempDir();
    const plain = openStore(join(dir, 'plain.db'));
    const zipped = openStore(join(dir, 'zipped.db'));
    await ingestInto(plain, [writeFormat(dir, 'mde-stream')]);
    const summary = await ingestInto(zipped, [writeFormat(join(dir, 'gz'), 'mde-stream', { gzip: true })]);
    expect(summary.perFile.every((file) => file.compressed)).toBe(true);
    expect(storedEvents(zipped)).toEqual(storedEvents(plain));
  });

  it('UTF-16 files (either byte order, plain or gzipped) read the same as UTF-8, in every format', async () => {
    const dir = tempDir();
    for (const format of WRITER_FORMATS) {
      const plain = openStore(join(dir, `${format}.db`));
      await ingestInto(plain, [writeFormat(join(dir, 'utf8'), format)]);
      const expected = storedEvents(plain);
      expect(expected).toHaveLength(5);
      for (const [order, gzip] of [['le', false], ['be', true]] as const) {
        const db = openStore(join(dir, `${format}-${order}.db`));
        const summary = await ingestInto(db, [writeFormat(join(dir, `utf16${order}`), format, { utf16: order, gzip })]);
        expect(summary.rejects, `${format} ${order}: ${summary.messages.join('; ')}`).toBe(0);
        expect(storedEvents(db), `${format} ${order}`).toEqual(expected);
        db.close();
      }
      plain.close();
    }
  });

  it('files in the ANSI code page (Windows-1252, as Excel saves "CSV") store what UTF-8 stores, each such record warned, in every format', async () => {
    const dir = tempDir();
    const ansi = ansiEncoder();
    // Every character must exist in Windows-1252: the fixture's snowman becomes a euro sign (0x80, where Windows-1252
    // and ISO-8859-1 differ), and a registered sign is added where real rows have it.
    const rows = fixtureRows();
    for (const table of TABLE_NAMES) {
      rows[table] = rows[table].map((row) => JSON.parse(JSON.stringify(row).replaceAll('☃', '€')) as typeof row);
    }
    rows.DeviceProcessEvents[0]!.ProcessVersionInfoProductName = 'Microsoft® Windows® Operating System';
    for (const format of WRITER_FORMATS) {
      const texts = TABLE_NAMES.map((table) => [table, formatRows(format, table, rows[table])] as const);
      const ingest = async (name: string, encode: (text: string) => Buffer) => {
        mkdirSync(join(dir, name, format), { recursive: true });
        for (const [table, text] of texts) writeFileSync(join(dir, name, format, `${table}.${EXTENSION[format]}`), encode(text));
        const db = openStore(join(dir, `${format}-${name}.db`));
        const summary = await ingestInto(db, [join(dir, name, format)]);
        const stored = storedEvents(db);
        db.close();
        return { summary, stored };
      };
      const utf8 = await ingest('utf8', (text) => Buffer.from(text));
      const cp1252 = await ingest('cp1252', ansi);
      expect(utf8.summary.warnings, format).toBe(0);
      expect(cp1252.summary.rejects, `${format}: ${cp1252.summary.messages.join('; ')}`).toBe(0);
      expect(cp1252.stored, format).toEqual(utf8.stored);
      expect(JSON.stringify(cp1252.stored, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value)))
        .toContain('Microsoft® Windows® Operating System');
      expect(cp1252.summary.warnings, format).toBeGreaterThan(0);
      expect(cp1252.summary.messages.every((message) => message.endsWith(RECODED_WARNING)), format).toBe(true);
    }
  });

  it('the parse worker stores exactly what inline parsing stores', async () => {
    const dir = tempDir();
    const inline = openStore(join(dir, 'inline.db'));
    const worker = openStore(join(dir, 'worker.db'));
    const folder = writeFormat(dir, 'mde-csv');
    await ingestInto(inline, [folder]);
    const summary = await ingestPaths([folder], { sink: createIngestSink(worker), workers: 1 });
    expect(summary.filesFailed, summary.messages.join('; ')).toBe(0);
    expect(storedEvents(worker)).toEqual(storedEvents(inline));
  });
});
