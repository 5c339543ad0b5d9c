// Parser for Windows event logs as JSON: Sysmon and Security events in any of the shapes Lineage reads, one record
// per line (or per array item). Each shape has its own reader (otrf-json, evtx-json, winlogbeat-ecs,
// powershell-winevent) that maps a record onto the Windows field names; windows-record normalises them all the same way.
import type { ParseOutcome } from '../domain';
import { evtxJsonRecord, isEvtxJsonRecord } from './evtx-json';
import { isOtrfRecord, otrfRecord } from './otrf-json';
import { parseJsonLine, type ParserContext } from './parse-mde-row-object';
import { isPowerShellEventRecord, powerShellEventRecord } from './powershell-winevent';
import { isWinlogbeatRecord, winlogbeatRecord } from './winlogbeat-ecs';
import { normalizeWindowsRecord, type Fields, type WindowsRecord } from './windows-record';

/** The shape-specific reading of a record, or null when `value` is no Windows event of a known shape. */
function readRecord(value: Fields): WindowsRecord | null {
  if (isWinlogbeatRecord(value)) return winlogbeatRecord(value);
  if (isEvtxJsonRecord(value)) return evtxJsonRecord(value);
  if (isOtrfRecord(value)) return otrfRecord(value);
  if (isPowerShellEventRecord(value)) return powerShellEventRecord(value);
  return null;
}

/** Whether a parsed JSON object looks like a Windows event record this parser reads. */
export function isWindowsEvent(value: Record<string, unknown>): boolean {
  return isWinlogbeatRecord(value) || isEvtxJsonRecord(value) || isOtrfRecord(value) || isPowerShellEventRecord(value)
    || ('EventID' in value && 'ProviderName' in value);
}

/** Parses one already decoded record; `raw` is its text as read. */
export function parseWindowsEventValue(value: unknown, raw: string, line: number, ctx: ParserContext): ParseOutcome[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ issue: { file: ctx.file, line, message: 'not a JSON object', raw } }];
  const record = readRecord(value as Fields) ?? otrfRecord(value as Fields);
  return normalizeWindowsRecord(record, line, ctx, raw);
}

/** Parses one line of a Windows event log export. */
export function parseWindowsEventLine(rawText: string, line: number, ctx: ParserContext): ParseOutcome[] {
  const parsed = parseJsonLine(rawText, line, ctx.file);
  if (!('value' in parsed)) return [parsed];
  return parseWindowsEventValue(parsed.value, rawText, line, ctx);
}
