// A small seeded PRNG (sfc32): the simulator's only source of randomness, so the same seed gives the same bytes.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Lower-case hex of `length` digits. */
  hex(length: number): string;
  /** A new generator whose stream depends on this one's seed and `label` only (stable under reordering). */
  fork(label: string): Rng;
}

function hashString(text: string, seed: number): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b) ^ (h >>> 13);
  return h >>> 0;
}

/** A generator for `seed`. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0, b = 0x9e3779b9, c = 0x243f6a88, d = 1;
  const raw = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) raw();
  const rng: Rng = {
    next: raw,
    int: (min, max) => min + Math.floor(raw() * (max - min + 1)),
    chance: (p) => raw() < p,
    pick: (items) => items[Math.floor(raw() * items.length)] as (typeof items)[number],
    hex: (length) => {
      let out = '';
      while (out.length < length) out += Math.floor(raw() * 0x100000000).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
    fork: (label) => createRng(hashString(label, seed)),
  };
  return rng;
}
