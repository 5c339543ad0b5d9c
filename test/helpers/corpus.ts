// Where the shared corpus of real recordings lives (../shared/corpus beside the project), and whether it is there.
// A clean clone without it reports the corpus tests as not run, loudly; they never pass silently.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './built-cli';

export const CORPUS = join(PROJECT_ROOT, '..', 'shared', 'corpus');
export const HAS_CORPUS = existsSync(join(CORPUS, 'README.md'));

if (!HAS_CORPUS) {
  process.stderr.write(`\n!!! ../shared/corpus not found at ${CORPUS}: the real-recording tests are NOT RUN !!!\n\n`);
}

export const corpusFile = (...parts: string[]): string => join(CORPUS, ...parts);
