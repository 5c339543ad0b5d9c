// Opaque pagination cursors: the position after the last item of a page, as base64url text.
import { InvalidInput, type Ticks } from '../domain';

export function encodeCursor(time: Ticks, id: number): string {
  return Buffer.from(`${time}:${id}`).toString('base64url');
}

/** The position a cursor names; InvalidInput when it is not one of ours. */
export function decodeCursor(cursor: string): { time: Ticks; id: number } {
  const match = /^(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidInput('cursor: not a cursor this API returned', { parameter: 'cursor' });
  return { time: BigInt(match[1] as string), id: Number(match[2]) };
}
