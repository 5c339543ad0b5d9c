// Exact time: ticks from every time text Lineage meets, and back to Kusto's canonical text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTicks, parseTime, parseTimeOrDate, timeResolution } from '../../src/domain';

const ticksOf = (text: string): bigint | undefined => parseTime(text)?.ticks;

describe('parseTime', () => {
  it('keeps 0 to 7 fractional digits exactly, as 100-ns ticks', () => {
    expect(ticksOf('1970-01-01T00:00:00Z')).toBe(0n);
    expect(ticksOf('1970-01-01T00:00:01.5Z')).toBe(15_000_000n);
    expect(ticksOf('1970-01-01T00:00:00.1234567Z')).toBe(1_234_567n);
    expect(ticksOf('2024-03-26T09:39:50.7688641Z')! - ticksOf('2024-03-26T09:39:50.7688640Z')!).toBe(1n);
  });

  it('reads a time with no zone as UTC, and applies explicit offsets', () => {
    expect(ticksOf('2020-09-17 21:46:05.411')).toBe(ticksOf('2020-09-17T21:46:05.411Z'));
    expect(ticksOf('2020-09-17T17:46:05-04:00')).toBe(ticksOf('2020-09-17T21:46:05Z'));
    expect(ticksOf('2020-09-17T23:46:05+0200')).toBe(ticksOf('2020-09-17T21:46:05Z'));
  });

  it('reads the US locale form of portal CSV exports and flags it lossy', () => {
    const parsed = parseTime('2/25/2025, 9:19:25.391 AM');
    expect(parsed?.lossy).toBe(true);
    expect(parsed?.order).toBe('month/day/year');
    expect(parsed?.ticks).toBe(ticksOf('2025-02-25T09:19:25.391Z'));
    expect(parseTime('2/25/2025, 12:00:00 AM')?.ticks).toBe(ticksOf('2025-02-25T00:00:00Z'));
    expect(parseTime('2/25/2025, 12:00:00 PM')?.ticks).toBe(ticksOf('2025-02-25T12:00:00Z'));
    expect(parseTime('2025-02-25T09:19:25.3910000Z')?.lossy).toBe(false);
  });

  it('reads the dotted day-first form of European locales (semicolon CSV exports) and flags it lossy', () => {
    const parsed = parseTime('25.02.2025 09:19:25,391');
    expect(parsed?.lossy).toBe(true);
    expect(parsed?.ticks).toBe(ticksOf('2025-02-25T09:19:25.391Z'));
    expect(parseTime('6.5.2024, 0:00:17.5')?.ticks).toBe(ticksOf('2024-05-06T00:00:17.5Z'));
    expect(parseTime('06.05.2024 13:07')?.ticks).toBe(ticksOf('2024-05-06T13:07:00Z'));
    for (const text of ['31.04.2024 00:00:00', '06.13.2024 00:00:00', '06.05.2024 24:00:00', '06.05.2024 09:19:25 PM']) {
      expect(parseTime(text), text).toBeNull();
    }
  });

  it('reads a slashed date day first where the locale writes it so, also when the day is 12 or less', () => {
    const february5 = ticksOf('2025-02-05T21:19:25.391Z');
    // en-GB, fr, es, it, pt (24-hour clock); en-AU, en-IN (lower-case pm); es-MX (p.m.): all day first.
    for (const text of ['05/02/2025, 21:19:25.391', '05/02/2025 21:19:25,391', '5/2/2025, 9:19:25.391 pm',
      '5/2/2025, 9:19:25.391 p.m.', '05-02-2025, 21:19:25,391']) {
      expect(parseTime(text), text).toEqual({ ticks: february5, lossy: true, order: 'day/month/year', resolution: 10_000n });
    }
    // en-US: the same numbers with an upper-case PM are month first.
    expect(parseTime('5/2/2025, 9:19:25.391 PM')?.ticks).toBe(ticksOf('2025-05-02T21:19:25.391Z'));
    // A form read month first whose month is over 12 is no time: never a silent switch to day first.
    expect(parseTime('25/2/2025, 9:19:25.391 PM')).toBeNull();
  });

  it('reads year-first regional forms and the other European ones', () => {
    const february5 = ticksOf('2025-02-05T21:19:25.391Z');
    for (const text of ['2025/2/5 21:19:25.391', '2025-02-05 21:19:25,391', '2025. 2. 5. 21:19:25,391']) {
      expect(parseTime(text), text).toEqual({ ticks: february5, lossy: true, order: 'year/month/day', resolution: 10_000n });
    }
    for (const text of ['5. 2. 2025 21:19:25,391', '5. 2. 2025. 21:19:25,391', '05.02.2025 г., 21:19:25,391', '5.2.2025, 21.19.25,391']) {
      expect(parseTime(text), text).toEqual({ ticks: february5, lossy: true, order: 'day/month/year', resolution: 10_000n });
    }
    // A time written with dots takes its fraction after a comma; Thai years (Buddhist era) are refused.
    for (const text of ['5.2.2025, 21.19.25.391', '5/2/2568 21:19:25.391', '5/2/25 21:19:25']) expect(parseTime(text), text).toBeNull();
  });

  it('reads every numeric form Node\'s ICU writes for these locales back to the same millisecond', () => {
    const locales = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-IE', 'en-CA', 'en-ZA', 'es', 'es-MX', 'fr', 'fr-CH',
      'de', 'de-CH', 'it', 'pt', 'pt-PT', 'nl', 'nl-BE', 'pl', 'ru', 'uk', 'cs', 'sk', 'hr', 'sl', 'hu', 'ro', 'tr',
      'da', 'nb', 'sv', 'lt', 'lv', 'et', 'id', 'he', 'ja', 'zh'];
    const formats = locales.map((locale) => new Intl.DateTimeFormat(locale, {
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit',
      fractionalSecondDigits: 3, timeZone: 'UTC', numberingSystem: 'latn',
    }));
    const first = Date.UTC(2000, 0, 1);
    const last = Date.UTC(2099, 11, 31, 23, 59, 59, 999);
    fc.assert(fc.property(fc.integer({ min: first, max: last }), fc.nat(formats.length - 1), (ms, i) => {
      const text = (formats[i] as Intl.DateTimeFormat).format(ms);
      expect(parseTime(text)?.ticks, `${locales[i]}: ${text}`).toBe(BigInt(ms) * 10_000n);
    }), { numRuns: 3000 });
  });

  it('reads a year-last date in the order the user names (--date-order), for the forms no rule tells apart', () => {
    // ta-IN and te-IN write day first with an upper-case PM, as en-US writes month first.
    expect(parseTime('5/2/2025, 9:19:25.391 PM', 'day-first')).toEqual(
      { ticks: ticksOf('2025-02-05T21:19:25.391Z'), lossy: true, order: 'day/month/year', resolution: 10_000n });
    expect(parseTime('05/02/2025 21:19', 'month-first')?.ticks).toBe(ticksOf('2025-05-02T21:19:00Z'));
    // ISO and year-first forms are not affected.
    expect(parseTime('2025-02-05T21:19:25Z', 'month-first')?.ticks).toBe(ticksOf('2025-02-05T21:19:25Z'));
    expect(parseTime('2025/2/5 21:19:25', 'month-first')?.ticks).toBe(ticksOf('2025-02-05T21:19:25Z'));
  });

  it('cuts digits beyond 100 ns and says so', () => {
    const parsed = parseTime('2024-01-01T00:00:00.123456789Z');
    expect(parsed?.ticks).toBe(ticksOf('2024-01-01T00:00:00.1234567Z'));
    expect(parsed?.lossy).toBe(true);
  });

  it('rejects what is not a time', () => {
    for (const text of ['', 'yesterday', '2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z',
      '2024-01-01T00:00:00.Z', '2024-01-01T00:00:00Zjunk', '13/45/2024, 1:00:00 PM']) {
      expect(parseTime(text), text).toBeNull();
    }
    expect(parseTime('2024-02-29T00:00:00Z')).not.toBeNull();
  });
});

describe('timeResolution (how finely a time text places its event)', () => {
  it('counts the fractional digits of the seconds, whatever the form, and never an offset\'s colon', () => {
    const cases: Array<[string, bigint]> = [
      ['2024-05-06T10:00:00.1234567Z', 1n],
      ['2024-05-06T10:00:00.12345678Z', 1n],
      ['2021-04-26 15:16:03.001966', 10n],
      ['2024-05-06T10:00:00.123+01:00', 10_000n],
      ['2/25/2025, 9:19:25.391 PM', 10_000n],
      ['25.02.2025, 09:19:25,391', 10_000n],
      ['2024-05-06T10:00:00Z', 10_000_000n],
      ['2024-05-06T10:00:00+05:30', 10_000_000n],
      ['2/5/2025 9:19', 600_000_000n],
      // A time written with dots (da, id): read as parseTime reads it, not by looking for colons.
      ['5.2.2025 21.19.25,391', 10_000n],
      ['2025-02-05 21:19:25,391', 10_000n],
    ];
    for (const [text, ticks] of cases) expect(timeResolution(text), text).toBe(ticks);
    for (const [text, ticks] of cases) expect(parseTime(text)?.resolution, text).toBe(ticks);
    expect(timeResolution('not a time')).toBeNull();
  });
});

describe('parseTimeOrDate (time bounds a user types)', () => {
  it('reads a date alone as its midnight UTC, and anything else as parseTime does', () => {
    expect(parseTimeOrDate('2024-05-06')).toEqual({ ticks: ticksOf('2024-05-06T00:00:00Z'), lossy: false, resolution: 864_000_000_000n });
    expect(parseTimeOrDate(' 2024-02-29 ')?.ticks).toBe(ticksOf('2024-02-29T00:00:00Z'));
    expect(parseTimeOrDate('2024-05-06T10:00:00.5+02:00')).toEqual(parseTime('2024-05-06T10:00:00.5+02:00'));
    for (const text of ['2023-02-29', '2024-13-01', '2024-1-01', '20240506', 'yesterday', '']) expect(parseTimeOrDate(text), text).toBeNull();
    // Event times in data stay strict.
    expect(parseTime('2024-05-06')).toBeNull();
  });
});

describe('formatTicks', () => {
  it('writes Kusto\'s form with 7 digits', () => {
    expect(formatTicks(0n)).toBe('1970-01-01T00:00:00.0000000Z');
    expect(formatTicks(ticksOf('2020-09-17T21:46:05.4110000Z')!)).toBe('2020-09-17T21:46:05.4110000Z');
    expect(formatTicks(-1n)).toBe('1969-12-31T23:59:59.9999999Z');
  });

  it('round-trips every tick count from year 1 to 9999', () => {
    const min = ticksOf('0001-01-01T00:00:00Z')!;
    const max = ticksOf('9999-12-31T23:59:59.9999999Z')!;
    fc.assert(fc.property(fc.bigInt({ min, max }), (ticks) => parseTime(formatTicks(ticks))?.ticks === ticks), { numRuns: 2000 });
  });
});
