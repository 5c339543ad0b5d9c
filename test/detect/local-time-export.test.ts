// A fleet exported as a Sentinel user in London would export it: times in local summer time, day first, rounded to
// the millisecond, headers `[Local Time]`. With the zone named it gives the detections of the UTC export.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLineage } from '../../src/detect';
import { parseTime } from '../../src/domain';
import { ingestPaths } from '../../src/ingest';
import { csvQuoteOpen, splitCsvRecord } from '../../src/parsers';
import { writeSimulation } from '../../src/simulate';
import { createIngestSink, openStore } from '../../src/store';
import { useTempDirs } from '../helpers/temp-dir';

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23',
});
const cell = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** The CSV export at `from` rewritten with every `[UTC]` column in London's local time, as en-GB writes it. */
function asLocalExport(from: string, to: string): void {
  const records: string[] = [];
  let record = '';
  let open = false;
  for (const line of readFileSync(from, 'utf8').split('\n')) {
    record = open ? `${record}\n${line}` : line;
    open = csvQuoteOpen(line, open);
    if (!open && record !== '') records.push(record);
  }
  const cellsOf = (text: string): string[] => {
    const split = splitCsvRecord(text);
    if ('error' in split) throw new Error(split.error);
    return split.cells;
  };
  const header = cellsOf(records[0] as string);
  const times = header.flatMap((name, i) => (name.endsWith(' [UTC]') ? [i] : []));
  const out = [header.map((name) => cell(name.replace(' [UTC]', ' [Local Time]'))).join(',')];
  for (const text of records.slice(1)) {
    const cells = cellsOf(text);
    for (const i of times) if (cells[i]) cells[i] = LONDON.format(new Date(cells[i] as string)).replace(',', '');
    out.push(cells.map(cell).join(','));
  }
  writeFileSync(to, `${out.join('\n')}\n`);
}

describe('a Sentinel export in local time', () => {
  const tempDir = useTempDirs();

  it('gives, with --time-zone, the alerts of the UTC export to the millisecond; without it, only rejects', async () => {
    const dir = tempDir();
    // From noon on the 12th: the rows of the 12th wait until a row of the 13th shows the dates are day first.
    writeSimulation(join(dir, 'utc'), 'mde-csv', {
      seed: 5, devices: 8, hours: 24, start: parseTime('2024-07-12T12:00:00Z')?.ticks ?? 0n, attacks: 14, nearMisses: 20, rate: 20,
    });
    mkdirSync(join(dir, 'local'));
    const tables = ['DeviceProcessEvents', 'DeviceNetworkEvents'];
    for (const table of tables) asLocalExport(join(dir, 'utc', `${table}.csv`), join(dir, 'local', `${table}.csv`));
    const alertsOf = async (folder: string, timeZone?: string) => {
      const db = openStore(join(dir, `${folder}-${timeZone ?? 'none'}.db`));
      const summary = await ingestPaths(tables.map((table) => join(dir, folder, `${table}.csv`)), { sink: createIngestSink(db), workers: 0, timeZone });
      const alerts = detectLineage(db).map((alert) => `${alert.deviceId} ${alert.time.slice(0, 23)} ${alert.comServer.pid}`).sort();
      db.close();
      return { summary, alerts };
    };
    const utc = await alertsOf('utc');
    const local = await alertsOf('local', 'Europe/London');
    const unnamed = await alertsOf('local');
    expect(utc.summary.rejects).toBe(0);
    expect(utc.alerts.length).toBeGreaterThan(5);
    expect(local.summary.rejects).toBe(0);
    expect(local.summary.events).toEqual(utc.summary.events);
    expect(local.alerts).toEqual(utc.alerts);
    expect(unnamed.summary.events).toEqual({ DeviceProcessEvents: 0, DeviceNetworkEvents: 0 });
    expect(unnamed.summary.rejects).toBe(utc.summary.events.DeviceProcessEvents + utc.summary.events.DeviceNetworkEvents);
  });
});
