// Durations of the pattern language in ticks.
import { TICKS_PER_MS, type Ticks } from '../domain';

const UNITS: Record<string, bigint> = { ms: TICKS_PER_MS, s: 1000n * TICKS_PER_MS, m: 60_000n * TICKS_PER_MS, h: 3_600_000n * TICKS_PER_MS };
const DURATION = /^(-?\d+)(ms|s|m|h)$/;

/** Ticks of a duration like `2s`, or null when the text is not one. */
export function durationTicks(text: string): Ticks | null {
  const match = DURATION.exec(text.trim());
  return match ? BigInt(match[1] as string) * (UNITS[match[2] as string] as bigint) : null;
}
