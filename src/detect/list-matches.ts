// One page of matches, newest first, for the API: filter, then continue after the cursor's (time, id).
import { InvalidInput } from '../domain';
import { matchTime, type Match, type MatchFilter, type MatchIndex } from './match-index';

export interface MatchPage {
  items: Match[];
  nextCursor: string | null;
}

const encode = (match: Match): string => Buffer.from(JSON.stringify([matchTime(match), match.id])).toString('base64url');

function decode(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw new InvalidInput('matches: cursor: not a cursor this API returned', { parameter: 'cursor' });
}

/** The page of `limit` matches after `cursor` (null: the first page). */
export function listMatches(index: MatchIndex, filter: MatchFilter, limit: number, cursor: string | null): MatchPage {
  let items = index.list(filter);
  if (cursor) {
    const [time, id] = decode(cursor);
    // Newest first, ties by id ascending: continue strictly after (time, id).
    items = items.filter((m) => matchTime(m) < time || (matchTime(m) === time && m.id > id));
  }
  const page = items.slice(0, limit);
  return { items: page, nextCursor: items.length > limit && page.length > 0 ? encode(page[page.length - 1] as Match) : null };
}
