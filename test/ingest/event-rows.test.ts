// Events reach the store writer as rows (domain/event-row.ts), posted so from parse workers: every field must land
// in its own column, whichever way the chunk came.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_ROW, NETWORK_ROW, PROCESS_KIND, PROCESS_ROW, NETWORK_KIND, toEventRow, type NetworkEvent, type NormalizedEvent,
  type ProcessEvent } from '../../src/domain';
import { ingestBatch, toRowChunk } from '../../src/ingest';
import { emptyChunk } from '../../src/ingest/parsed-chunk';
import { createIngestSink, listDevices, openStore, readDeviceEvents } from '../../src/store';
import { useTempDirs } from '../helpers/temp-dir';

const text = fc.string({ maxLength: 20 });
const pid = fc.option(fc.integer({ min: 0, max: 2 ** 32 }), { nil: null });
const ticks = fc.option(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), { nil: null });
const base = {
  time: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), timeText: text, deviceId: text, deviceName: text, actionType: text,
  reportId: text, identity: fc.integer(), initiatorPid: pid, initiatorCreatedAt: ticks, initiatorFileName: text,
  initiatorFolderPath: text, initiatorCommandLine: text, initiatorUniqueId: text, initiatorAccountName: text, parentPid: pid,
  parentCreatedAt: ticks, parentFileName: text, columnsText: text,
};
// fast-check's records have no prototype; events are plain objects.
const plain = <T extends object>(record: T): T => ({ ...record });
const processEvent: fc.Arbitrary<ProcessEvent> = fc.record({
  ...base, kind: fc.constant('process' as const), table: fc.constant('DeviceProcessEvents' as const), pid, createdAt: ticks,
  fileName: text, folderPath: text, commandLine: text, uniqueId: text, accountName: text,
}).map(plain);
const networkEvent: fc.Arbitrary<NetworkEvent> = fc.record({
  ...base, kind: fc.constant('network' as const), table: fc.constant('DeviceNetworkEvents' as const), localIp: text, localPort: pid,
  remoteIp: text, remotePort: pid, protocol: text,
}).map(plain);

const TICK_FIELDS = new Set(['time', 'createdAt', 'initiatorCreatedAt', 'parentCreatedAt']);
const NUMBER_FIELDS = new Set(['identity', 'pid', 'initiatorPid', 'parentPid', 'localPort', 'remotePort']);

/** `event` with every field holding a value no other field holds (none null), so two fields trading places show. */
function distinct<E extends NormalizedEvent>(event: E, seed: number): E {
  const out: Record<string, unknown> = {};
  let n = seed * 100;
  for (const [key, value] of Object.entries(event)) {
    n++;
    out[key] = key === 'kind' || key === 'table' ? value : TICK_FIELDS.has(key) ? BigInt(n) * 1_000_000_007n
      : NUMBER_FIELDS.has(key) ? n : `${key}-${seed}`;
  }
  return out as E;
}

describe('event rows', () => {
  it('hold each field at its named position, and every field of either kind has one', () => {
    fc.assert(fc.property(fc.oneof(processEvent, networkEvent), (event) => {
      const row = toEventRow(event);
      const own = event.kind === 'process' ? PROCESS_ROW : NETWORK_ROW;
      const positions: Record<string, number> = { ...EVENT_ROW, ...own };
      expect(row[EVENT_ROW.kind]).toBe(event.kind === 'process' ? PROCESS_KIND : NETWORK_KIND);
      expect(Object.keys(positions).sort()).toEqual(Object.keys(event).filter((k) => k !== 'table').sort());
      expect(new Set(Object.values(positions)).size).toBe(row.length);
      for (const [field, at] of Object.entries(positions)) if (field !== 'kind') expect(row[at], field).toBe(event[field as keyof typeof event]);
    }), { numRuns: 300 });
  });

  it('a chunk posted as rows gives the writer what the chunk itself gives, through a structured clone', () => {
    const chunk = emptyChunk();
    chunk.events.push(...fc.sample(fc.oneof(processEvent, networkEvent), 5));
    chunk.lines.push(1, 2, 3, 5, 8);
    chunk.issues.push({ file: 'f', line: 4, message: 'bad', raw: 'x' });
    chunk.columns = new Uint8Array([1, 2, 3]);
    chunk.columnEnds.push(1, 1, 2, 2, 3);
    expect(ingestBatch(structuredClone(toRowChunk(chunk)))).toStrictEqual(ingestBatch(chunk));
  });
});

describe('the store writer', () => {
  const tempDir = useTempDirs();

  it('stores every field of a row in its own column: what is read back is what was written', () => {
    const db = openStore(join(tempDir(), 'rows.db'));
    const sink = createIngestSink(db);
    const run = sink.startRun('test', 'now');
    const source = sink.openSource('f.json', 'mde-ndjson', run);
    const [process, network] = [distinct(fc.sample(processEvent, 1)[0]!, 1), distinct(fc.sample(networkEvent, 1)[0]!, 2)];
    for (const event of [process, network]) {
      event.deviceId = 'device-1';
      event.deviceName = 'ws1';
      event.columnsText = ''; // stored in the column log, not read back with the event
    }
    const written = sink.writeBatch(run, source, { rows: [process, network].map(toEventRow), lines: [1, 2], issues: [], columns: new Uint8Array(0), columnEnds: [0, 0] });
    expect(written.inserted).toEqual({ DeviceProcessEvents: 1, DeviceNetworkEvents: 1 });
    const slice = readDeviceEvents(db, listDevices(db)[0]!.row);
    const { id: _p, ...readProcess } = slice.processes[0]!;
    const { id: _n, ...readNetwork } = slice.network[0]!;
    expect(readProcess).toStrictEqual(process);
    expect(readNetwork).toStrictEqual(network);
    db.close();
  });
});
