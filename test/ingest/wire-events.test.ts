// Events cross from parse workers to the writer as arrays (wire-events.ts): every field must come back as it went.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NetworkEvent, NormalizedEvent, ProcessEvent } from '../../src/domain';
import { chunkFromWire, chunkToWire, fromWire, toWire } from '../../src/ingest/wire-events';
import { emptyChunk } from '../../src/ingest/parsed-chunk';

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

/** An event whose every field holds a value no other field holds, so two fields swapped on the wire show. */
function distinct(event: NormalizedEvent): NormalizedEvent {
  const out: Record<string, unknown> = {};
  let n = 1;
  for (const [key, value] of Object.entries(event)) {
    n++;
    out[key] = key === 'kind' || key === 'table' ? value
      : typeof value === 'string' ? key : typeof value === 'bigint' ? BigInt(n) * 1_000_000_007n : n;
  }
  return out as unknown as NormalizedEvent;
}

describe('wire events', () => {
  it('every field of either kind comes back as it was, through a structured clone', () => {
    fc.assert(fc.property(fc.oneof(processEvent, networkEvent), (event) => {
      expect(fromWire(structuredClone(toWire(event)))).toStrictEqual(event);
    }), { numRuns: 500 });
    for (const event of fc.sample(fc.oneof(processEvent, networkEvent), 20).map(distinct)) {
      expect(fromWire(structuredClone(toWire(event)))).toStrictEqual(event);
    }
  });

  it('a chunk keeps everything else it carries', () => {
    const chunk = emptyChunk();
    chunk.events.push(...fc.sample(fc.oneof(processEvent, networkEvent), 5));
    chunk.lines.push(1, 2, 3, 5, 8);
    chunk.issues.push({ file: 'f', line: 4, message: 'bad', raw: 'x' });
    chunk.skipped.DeviceFileEvents = 2;
    chunk.linesRead = 9;
    chunk.columns = new Uint8Array([1, 2, 3]);
    chunk.columnEnds.push(1, 1, 2, 2, 3);
    expect(chunkFromWire(structuredClone(chunkToWire(chunk)))).toStrictEqual(chunk);
  });
});
