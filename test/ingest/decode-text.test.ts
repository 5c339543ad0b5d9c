// Bytes that should be UTF-8 but are not: read as Windows-1252 where they are not, UTF-8 where they are, none lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, decodeUtf8OrWindows1252 } from '../../src/ingest';

const decode = (bytes: Buffer): { text: string; recoded: number[] } => {
  const recoded: number[] = [];
  return { text: decodeText(bytes, 0, bytes.length, recoded, 7), recoded };
};

describe('decodeText', () => {
  it('UTF-8 stays UTF-8, a real U+FFFD included, and nothing is noted', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      expect(decode(Buffer.from(text))).toEqual({ text, recoded: [] });
    }));
    expect(decode(Buffer.from('bad \uFFFD char'))).toEqual({ text: 'bad \uFFFD char', recoded: [] });
  });

  it('Windows-1252 bytes become their characters, and the line is noted', () => {
    const ansi = Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x20, 0xae, 0x20, 0x80, 0x20, 0x81]); // "José ® € \x81"
    expect(decode(ansi)).toEqual({ text: 'José ® € \u0081', recoded: [7] });
  });

  it('0x80-0x9F are the Windows-1252 characters, not ISO-8859-1 controls', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
    expect(decodeUtf8OrWindows1252(bytes)).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ');
  });

  it('any text, a stray byte anywhere in it, comes back whole with the stray byte as its Windows-1252 character', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), fc.constantFrom(0x80, 0x9f, 0xe9, 0xff),
      (before, after, stray) => {
        const bytes = Buffer.concat([Buffer.from(before), Buffer.from([stray]), Buffer.from(after)]);
        expect(decodeUtf8OrWindows1252(bytes)).toBe(before + decodeUtf8OrWindows1252(Buffer.from([stray])) + after);
      }));
    const many = Buffer.concat([Buffer.alloc(100_000, 0xe9), Buffer.from('😀 end')]);
    expect(decodeUtf8OrWindows1252(many)).toBe(`${'é'.repeat(100_000)}😀 end`);
  });

  it('a line mixing UTF-8 and Windows-1252 keeps both', () => {
    const mixed = Buffer.concat([Buffer.from('jörg '), Buffer.from([0xe9]), Buffer.from(' ☃')]);
    expect(decode(mixed).text).toBe('jörg é ☃');
  });

  it('ill-formed sequences are bytes, not characters: overlongs, surrogates, past U+10FFFF, cut short', () => {
    const cases: Array<[number[], string]> = [
      [[0xc0, 0xaf], 'À¯'], // overlong '/'
      [[0xe0, 0x80, 0xaf], 'à€¯'], // overlong
      [[0xed, 0xa0, 0x80], 'í\u00a0€'], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], 'ô\u0090€€'], // past U+10FFFF
      [[0xf5, 0x41], 'õA'],
      [[0x41, 0xe2, 0x82], 'Aâ‚'], // cut short at the end
    ];
    for (const [bytes, text] of cases) expect(decodeUtf8OrWindows1252(Buffer.from(bytes)), bytes.join(' ')).toBe(text);
  });

  it('any bytes: UTF-8 decoding where valid, and no replacement character the input did not hold', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (array) => {
      const bytes = Buffer.from(array);
      const text = decodeUtf8OrWindows1252(bytes);
      if (new TextDecoder('utf-8', { fatal: false }).decode(bytes).indexOf('\uFFFD') < 0) expect(text).toBe(bytes.toString('utf8'));
      if (bytes.indexOf(Buffer.from('\uFFFD')) < 0) expect(text).not.toContain('\uFFFD');
    }));
  });
});
