// The allow-list of Lineage's detection: COM servers and children that are never an alert, each entry naming a
// file name, a path (with * wildcards) and/or a COM class id, all of which must match. Unlike the rule's name-only
// list, `dllhost.exe` is allowed per COM class, and a binary is allowed only where Windows keeps it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InvalidInput } from '../domain';
import type { NodeAttributes } from '../graph';

export interface AllowEntry {
  fileName?: string;
  path?: string;
  clsid?: string;
  note?: string;
}

export interface AllowList {
  comServers: AllowEntry[];
  children: AllowEntry[];
}

/**
 * The schema of an allow-list file. zod is loaded here, on first use, not with the module: importing it costs about
 * 0.1 s, a sixth of a whole `lineage detect` run, and only a user's own list needs validating.
 */
function allowListSchema() {
  const { z } = createRequire(import.meta.url)('zod') as typeof import('zod');
  const entry = z.object({
    fileName: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    clsid: z.string().regex(/^\{[0-9A-Fa-f-]{36}\}$/).optional(),
    note: z.string().optional(),
  }).refine((e) => e.fileName || e.path || e.clsid, { message: 'an entry names a fileName, a path or a clsid' });
  return z.object({ comServers: z.array(entry).default([]), children: z.array(entry).default([]) });
}

const SYS32 = 'C:\\Windows\\System32';

/** The default list: the rule's COM servers by path, dllhost.exe by known Windows classes, the .NET compiler, Office's App-V helpers. */
export const DEFAULT_ALLOW_LIST: AllowList = {
  comServers: [
    { path: 'C:\\Windows\\WinSxS\\*\\TiWorker.exe', note: 'Windows Modules Installer' },
    { path: `${SYS32}\\mobsync.exe` },
    { path: `${SYS32}\\backgroundTaskHost.exe` },
    { path: `${SYS32}\\wbem\\WmiPrvSE.exe` },
    { path: 'C:\\Windows\\SysWOW64\\wbem\\WmiPrvSE.exe' },
    { path: `${SYS32}\\RuntimeBroker.exe` },
    { path: `${SYS32}\\smartscreen.exe` },
    { path: `${SYS32}\\SppExtComObj.Exe` },
    { path: `${SYS32}\\usocoreworker.exe` },
    { path: `${SYS32}\\browser_broker.exe` },
    { path: `${SYS32}\\ssoncom.exe` },
    { fileName: 'dllhost.exe', clsid: '{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}', note: 'Thumbnail cache' },
    { fileName: 'dllhost.exe', clsid: '{3EB3C877-1F16-487C-9050-104DBCD66683}', note: 'CDP activity store' },
    { fileName: 'dllhost.exe', clsid: '{973D20D7-562D-44B9-B70B-5A0F49CCDF3F}', note: 'Windows Update' },
  ],
  children: [
    { path: 'C:\\Windows\\Microsoft.NET\\Framework*\\v*\\csc.exe', note: 'the .NET C# compiler, as the rule\'s csc.exe exclusion' },
    {
      path: 'C:\\Program Files*\\Microsoft Office\\root\\Client\\AppVDllSurrogate*.exe',
      note: 'Office (Click-to-Run) virtualisation helpers an Office application starts when automated over COM',
    },
  ],
};

/** Reads and validates an allow-list file (JSON with `comServers` and `children` lists). */
export function loadAllowList(path: string): AllowList {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidInput(`detect: --allow-list ${path}: ${(error as Error).message}`);
  }
  const parsed = allowListSchema().safeParse(raw);
  if (!parsed.success) throw new InvalidInput(`detect: --allow-list ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^\\\\]*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** A predicate per list, as the matcher's `notListed` operator wants them. */
export function allowListPredicates(list: AllowList): Record<string, (node: NodeAttributes) => boolean> {
  const compile = (entries: readonly AllowEntry[]) => {
    const compiled = entries.map((e) => ({ fileName: e.fileName?.toLowerCase(), path: e.path ? globToRegExp(e.path) : null, clsid: e.clsid?.toUpperCase() }));
    return (node: NodeAttributes): boolean => node.kind === 'process' && compiled.some((e) =>
      (!e.fileName || node.fileName.toLowerCase() === e.fileName)
      && (!e.path || e.path.test(node.folderPath))
      && (!e.clsid || node.clsid === e.clsid));
  };
  return { comServers: compile(list.comServers), children: compile(list.children) };
}
