// Text from logs reaches the analyst's terminal only as text: control characters (an ESC sequence can rewrite the
// screen or retitle the window) are shown as visible \xNN escapes by every formatter the CLI prints through.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIngestSummary } from '../../src/cli/format-summary';
import { formatTable } from '../../src/cli/format-table';
import { terminalSafe } from '../../src/cli/terminal-text';
import { useTempDirs } from '../helpers/temp-dir';
import { writeZip } from '../helpers/write-zip';

const ESC = '\u001b';
const HOSTILE = `cmd.exe /c whoami ${ESC}]0;pwned\u0007${ESC}[2J\u009b31m`;

describe('terminal output', () => {
  const tempDir = useTempDirs();

  it('terminal-safe: control characters become visible escapes, everything else is kept', () => {
    expect(terminalSafe(HOSTILE)).toBe('cmd.exe /c whoami \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m');
    expect(terminalSafe('C:\\Windows\\System32\\svchost.exe -k DcomLaunch · é')).toBe('C:\\Windows\\System32\\svchost.exe -k DcomLaunch · é');
    // A stack trace keeps its lines, and nothing else: text that only spells an escape stays as it was written.
    expect(terminalSafe(`Error: ${HOSTILE}\n    at f (x.js:1)\r\\x0a`, true)).toBe('Error: cmd.exe /c whoami \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\n    at f (x.js:1)\\x0d\\x0a');
  });

  it('tables and the ingest summary print hostile text as escapes', () => {
    const table = formatTable(['COM server'], [[HOSTILE]], 200);
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(table).toContain('\\x1b]0;pwned');
    const summary = formatIngestSummary({
      runId: 1, files: 1, filesFailed: 0, filesPassedOver: 0, events: { DeviceProcessEvents: 0, DeviceNetworkEvents: 0 }, duplicates: 0, rejects: 1,
      skipped: 1, skippedByTable: { [`${ESC}[31mChannel 7`]: 1 }, warnings: 0, seconds: 0, eventsPerSecond: 0, perFile: [], messages: [`x.json:1: ${HOSTILE}`], interrupted: false,
    });
    expect(summary).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(summary).toContain('\\x1b[31mChannel 7 1');
  });

  it('a zip entry named with escape sequences is reported, not executed by the terminal', () => {
    const dir = tempDir();
    writeZip(join(dir, 'a.zip'), { [`notes${ESC}[2J.txt`]: 'not a log\n' });
    const result = spawnSync(process.execPath, ['bin/lineage.js', 'ingest', join(dir, 'a.zip'), '--db', join(dir, 'l.db')], { encoding: 'utf8' });
    expect(result.stderr).toContain('notes\\x1b[2J.txt');
    expect(result.stderr).not.toContain(ESC);
  });
});
