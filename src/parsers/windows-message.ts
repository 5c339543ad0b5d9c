// The rendered text of a Windows event (its `Message`), read back into EventData names, for exports that carry the
// message but not the named fields (PowerShell's `Get-WinEvent | ConvertTo-Json`). Sysmon renders one `Name: value`
// line per field, named as in EventData, after a title line. Security renders English prose in sections
// ("Process Information:" then tab-indented "New Process ID:\t\t0x1a2c"), read here for the events Lineage uses.
import type { Fields } from './windows-record';

const SYSMON_FIELD = /^([A-Za-z][A-Za-z0-9]*): ?(.*)$/;
const SECURITY_SECTION = /^([A-Za-z][A-Za-z ]*):\s*$/;
const SECURITY_FIELD = /^\s+([A-Za-z][A-Za-z ]*?):\s*(.*?)\s*$/;

/** EventData names of Security message labels, by `section/label` in lower case. */
const SECURITY_LABELS: Readonly<Record<number, Readonly<Record<string, string>>>> = {
  4688: {
    'creator subject/account name': 'SubjectUserName', 'subject/account name': 'SubjectUserName',
    'target subject/account name': 'TargetUserName',
    'process information/new process id': 'NewProcessId', 'process information/new process name': 'NewProcessName',
    'process information/creator process id': 'ProcessId', 'process information/creator process name': 'ParentProcessName',
    'process information/process command line': 'CommandLine',
  },
  4689: {
    'subject/account name': 'SubjectUserName',
    'process information/process id': 'ProcessId', 'process information/process name': 'ProcessName',
  },
  5156: {
    'application information/process id': 'ProcessID', 'application information/application name': 'Application',
    'network information/direction': 'Direction', 'network information/source address': 'SourceAddress',
    'network information/source port': 'SourcePort', 'network information/destination address': 'DestAddress',
    'network information/destination port': 'DestPort', 'network information/protocol': 'Protocol',
  },
};

/** The fields of a rendered Sysmon message; a value with line breaks of its own (a command line) keeps them as `\n`. */
export function sysmonMessageFields(message: string): Fields {
  const fields: Fields = {};
  let last: string | null = null;
  const lines = message.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    const field = SYSMON_FIELD.exec(line);
    if (field) {
      last = field[1] as string;
      fields[last] = field[2];
    } else if (last !== null) {
      fields[last] = `${String(fields[last])}\n${line}`;
    }
  }
  return fields;
}

/** The EventData fields Lineage reads from an English Security message of event `eventId`; {} for other events. */
export function securityMessageFields(eventId: number, message: string): Fields {
  const labels = SECURITY_LABELS[eventId === 5157 ? 5156 : eventId];
  const fields: Fields = {};
  if (!labels) return fields;
  let section = '';
  for (const raw of message.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const field = SECURITY_FIELD.exec(line);
    if (field) {
      const name = labels[`${section}/${(field[1] as string).toLowerCase()}`];
      if (name && !(name in fields)) fields[name] = field[2];
      continue;
    }
    const heading = SECURITY_SECTION.exec(line);
    if (heading) section = (heading[1] as string).toLowerCase();
  }
  return fields;
}
