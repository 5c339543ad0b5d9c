// The layering of STYLE.md, enforced: which layer may import which, and only through a folder's index.ts.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/built-cli';

/** Layer -> the layers it may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  'src/domain': [],
  'src/parsers': ['src/domain'],
  'src/store': ['src/domain'],
  'src/ingest': ['src/domain', 'src/parsers'],
  'src/graph': ['src/domain'],
  'src/patterns': ['src/domain', 'src/graph'],
  'src/detect': ['src/domain', 'src/store', 'src/graph', 'src/patterns'],
  'src/simulate': ['src/domain', 'src/parsers'],
  'src/queries': ['src/domain', 'src/parsers', 'src/store', 'src/graph'],
  'src/cli': ['src/domain', 'src/parsers', 'src/store', 'src/ingest', 'src/graph', 'src/patterns', 'src/detect', 'src/simulate', 'src/queries', 'server'],
  server: ['src/domain', 'src/parsers', 'src/store', 'src/ingest', 'src/graph', 'src/patterns', 'src/detect', 'src/queries'],
};

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(name) ? [full] : [];
  });
}

function layerOf(file: string): string | null {
  const rel = relative(PROJECT_ROOT, file).split(sep).join('/');
  if (rel.startsWith('server/')) return 'server';
  if (rel.startsWith('client/')) return 'client';
  const match = /^src\/([^/]+)\//.exec(rel);
  return match ? `src/${match[1]}` : null;
}

interface Violation { file: string; target: string; why: string }

function violations(files: ReadonlyArray<{ file: string; text: string }>): Violation[] {
  const found: Violation[] = [];
  for (const { file, text } of files) {
    const from = layerOf(file);
    if (!from) continue;
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[3] ?? match[4] ?? '';
      const typeOnly = Boolean(match[2]);
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      const to = layerOf(target.endsWith('.ts') ? target : `${target}/x`);
      const rel = relative(PROJECT_ROOT, file);
      if (!to || to === from) continue;
      const targetRel = relative(PROJECT_ROOT, target).split(sep).join('/');
      const throughIndex = targetRel === to || targetRel === `${to}/index` || targetRel === `${to}/index.ts`;
      if (from === 'client') {
        if (!typeOnly) found.push({ file: rel, target: spec, why: 'the client may only `import type` from src' });
        continue;
      }
      if (!(ALLOWED[from] ?? []).includes(to)) found.push({ file: rel, target: spec, why: `${from} may not import ${to}` });
      else if (!throughIndex) found.push({ file: rel, target: spec, why: `import ${to} through its index.ts` });
    }
  }
  return found;
}

describe('layering', () => {
  it('every import follows the allowed direction and goes through index.ts', () => {
    const files = ['src', 'server', 'client'].flatMap((dir) => sourceFiles(join(PROJECT_ROOT, dir)))
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    expect(files.length).toBeGreaterThan(20);
    expect(violations(files)).toEqual([]);
  });

  it('the checker catches each kind of violation', () => {
    const at = (path: string, text: string) => ({ file: join(PROJECT_ROOT, path), text });
    expect(violations([
      at('src/domain/x.ts', "import { openStore } from '../store';"),
      at('src/cli/y.ts', "import { openStore } from '../store/open-store';"),
      at('client/z.ts', "import { formatTicks } from '../src/domain';"),
      at('client/ok.ts', "import type { TableName } from '../src/domain';"),
      at('src/parsers/ok.ts', "import { parseTime } from '../domain';"),
    ]).map((v) => v.why)).toEqual([
      'src/domain may not import src/store',
      'import src/store through its index.ts',
      'the client may only `import type` from src',
    ]);
  });
});
