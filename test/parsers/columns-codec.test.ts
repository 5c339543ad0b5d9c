// The stored form of MDE columns: packed rows read back exactly as the JSON rows of earlier stores do.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../src/domain';
import { decodeColumns, MDE_COLUMN_LIST } from '../../src/parsers';
import { encodeColumns } from '../../src/parsers/columns-codec';
import { normalizeMdeRow } from '../../src/parsers/normalize-mde-row';

const SPECS = MDE_COLUMN_LIST.DeviceProcessEvents;

/** Any well-formed text: control characters, quotes, backslashes, any code point, and lengths past one length character. */
const anyText = fc.oneof(
  fc.string({ unit: fc.constantFrom('\\', '"', 'a', 'é', '\u0000', '\n', '😀', '\u2028') }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.integer({ min: 60, max: 70_000 }).map((n) => 'C:\\Windows\\'.repeat(Math.ceil(n / 11)).slice(0, n)),
);

/** A value array as normalizeMdeRow builds it: each column's value of its type, or null; extras an object or null. */
const valueArrays = fc.tuple(
  fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 })),
  fc.tuple(...SPECS.map((spec) => fc.option<unknown>(
    spec.type === 'long' || spec.type === 'int' ? fc.maxSafeInteger().map((n) => n - Math.floor(Number.MAX_SAFE_INTEGER / 2))
      : spec.type === 'bool' ? fc.boolean() as fc.Arbitrary<unknown>
        : anyText.filter((text) => text !== ''),
    { freq: 3 }))),
).map(([extras, values]) => [extras, ...values] as unknown[]);

describe('stored MDE columns', () => {
  it('a packed row reads back as the same row stored as JSON, whatever its text holds', () => {
    fc.assert(fc.property(valueArrays, (values) => {
      const packed = encodeColumns(values);
      expect(packed.charCodeAt(0)).toBe(1);
      expect(decodeColumns('DeviceProcessEvents', packed)).toEqual(decodeColumns('DeviceProcessEvents', JSON.stringify(values)));
    }), { numRuns: 300 });
  });

  it('packs well-formed text, and keeps a row holding a lone surrogate as JSON, which carries it', () => {
    const values: unknown[] = [null, ...SPECS.map(() => null)];
    const commandLine = SPECS.find((spec) => spec.name === 'ProcessCommandLine')!.index + 1;
    values[commandLine] = 'cmd.exe /c "C:\\a b\\😀"';
    expect(encodeColumns(values).charCodeAt(0)).toBe(1);
    values[commandLine] = 'cmd.exe \ud800';
    const kept = encodeColumns(values);
    expect(kept.startsWith('[')).toBe(true);
    expect(decodeColumns('DeviceProcessEvents', kept).ProcessCommandLine).toBe('cmd.exe \ud800');
  });

  it('identifies a row without a ReportId as every earlier store did, so re-ingesting an old export adds nothing', () => {
    const row = {
      Timestamp: '2024-03-26T09:39:50.7688641Z', DeviceId: 'dddd000000000000000000000000000000000001', DeviceName: 'ws1',
      ActionType: 'ProcessCreated', FileName: 'cmd.exe', ProcessId: 4242, ProcessCommandLine: 'C:\\Windows\\system32\\cmd.exe /c "echo é"',
      Custom: { a: [1] },
    };
    const outcome = normalizeMdeRow(row, 'DeviceProcessEvents', 'f', 1, '');
    // The value stores written before packing hold (the hash of the row's columns as JSON).
    expect('ok' in outcome && (outcome.ok as ProcessEvent).identity).toBe(186562559252202);
  });
});
