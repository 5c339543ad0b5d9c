// Local wall-clock times of a named zone placed in UTC: offsets, summer time, and the hours a clock skips or repeats.
import { describe, expect, it } from 'vitest';
import { formatTicks, isTimeZone, parseTime, zoneToUtc } from '../../src/domain';

const utcOf = (zone: string, local: string): string => formatTicks(zoneToUtc(zone)(parseTime(local)?.ticks ?? 0n));

describe('zoneToUtc', () => {
  it('applies the offset in force, summer time included, to the 100 ns', () => {
    expect(utcOf('Europe/London', '2026-07-16T20:26:12.0304567Z')).toBe('2026-07-16T19:26:12.0304567Z');
    expect(utcOf('Europe/London', '2026-01-16T20:26:12Z')).toBe('2026-01-16T20:26:12.0000000Z');
    expect(utcOf('Asia/Kolkata', '2026-01-16T20:26:12Z')).toBe('2026-01-16T14:56:12.0000000Z');
    expect(utcOf('America/New_York', '2026-01-01T00:00:00Z')).toBe('2026-01-01T05:00:00.0000000Z');
    expect(utcOf('Australia/Sydney', '2026-01-01T12:00:00Z')).toBe('2026-01-01T01:00:00.0000000Z');
  });

  it('reads a repeated local time as its first occurrence, and a skipped one with the offset from before the change', () => {
    // New York: 01:30 on 1 November 2026 happens at 05:30 (EDT) and again at 06:30 (EST); 02:30 on 8 March never does.
    expect(utcOf('America/New_York', '2026-11-01T01:30:00Z')).toBe('2026-11-01T05:30:00.0000000Z');
    expect(utcOf('America/New_York', '2026-03-08T02:30:00Z')).toBe('2026-03-08T07:30:00.0000000Z');
    // East of UTC the same rules: Berlin's 02:30 on 25 October first happens at 00:30 (CEST).
    expect(utcOf('Europe/Berlin', '2026-10-25T02:30:00Z')).toBe('2026-10-25T00:30:00.0000000Z');
    expect(utcOf('Europe/Berlin', '2026-03-29T02:30:00Z')).toBe('2026-03-29T01:30:00.0000000Z');
    expect(utcOf('Australia/Sydney', '2026-04-05T02:30:00Z')).toBe('2026-04-04T15:30:00.0000000Z');
  });

  it('refuses a name that is no time zone', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => zoneToUtc('Mars/Olympus_Mons')).toThrow(/not a time zone/);
  });
});
