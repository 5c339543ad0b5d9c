// What a user reads when a file cannot be read to its end: the file's name, and the cause in words, whichever side
// (a parse worker or the main thread) met it.
import { LineageError } from '../domain';

const CAUSES: Record<string, string> = {
  Z_BUF_ERROR: 'the gzip data ends early (a truncated copy?); the rows before the cut are stored',
  Z_DATA_ERROR: 'the gzip data is corrupt; the rows before the damage are stored',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder where a file was expected',
  EIO: 'the disk reported an I/O error',
};

/** `ingest: <path>: <why>` for an error met reading the file at `path` (`path` as messages name it). */
export function readFailureMessage(error: unknown, path: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof LineageError ? undefined : (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = (code !== undefined && CAUSES[code]) || message.replace(/^ingest: /, '');
  return message.startsWith(`ingest: ${path}`) ? message : `ingest: ${path}: ${cause}`;
}
