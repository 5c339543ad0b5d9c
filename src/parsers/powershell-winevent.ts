// Windows events exported on the host with PowerShell: `Get-WinEvent ... | ConvertTo-Json` (one array, pretty-printed
// or `-Compress`ed; PowerShell 5.1 writes it as UTF-16 with `Out-File` or `>`), or one object per line. Each object is an
// EventLogRecord: `Id`, `LogName`, `ProviderName`, `MachineName`, `RecordId`, `TimeCreated` (`/Date(ms)/` from 5.1, ISO
// with the local offset from 7), the rendered `Message`, and `Properties` (EventData values by position, no names).
// Sysmon's fields are read from its Message (windows-message.ts): the positions of its Properties change between
// Sysmon versions. Security's are read from Properties by the event's template order when they hold values
// (`ConvertTo-Json -Depth 3`), else from its English Message: the default depth writes each property as a type name.
import { formatTicks, TICKS_PER_MS } from '../domain';
import { securityMessageFields, sysmonMessageFields } from './windows-message';
import { fieldsOf, sourceOfChannel, text, type Fields, type WindowsRecord } from './windows-record';

/** Windows Filtering Platform connection events (5156 allowed, 5157 blocked) share one template. */
const WFP_PROPERTIES = ['ProcessID', 'Application', 'Direction', 'SourceAddress', 'SourcePort', 'DestAddress', 'DestPort', 'Protocol',
  'FilterRTID', 'LayerName', 'LayerRTID', 'RemoteUserID', 'RemoteMachineID'];

/** EventData names of Security events by position (the order of the event's XML template, unchanged across versions: later versions append). */
const SECURITY_PROPERTIES: Readonly<Record<number, readonly string[]>> = {
  4688: ['SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'NewProcessId', 'NewProcessName',
    'TokenElevationType', 'ProcessId', 'CommandLine', 'TargetUserSid', 'TargetUserName', 'TargetDomainName', 'TargetLogonId',
    'ParentProcessName', 'MandatoryLabel'],
  4689: ['SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'Status', 'ProcessId', 'ProcessName'],
  5156: WFP_PROPERTIES,
  5157: WFP_PROPERTIES,
};

/** `/Date(ms)/`, as PowerShell 5.1 writes a DateTime; an offset suffix (a DateTimeOffset's) leaves the UTC milliseconds as they are. */
const MS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/** Whether `value` is a PowerShell EventLogRecord. */
export function isPowerShellEventRecord(value: Fields): boolean {
  return 'Id' in value && 'TimeCreated' in value && ('ProviderName' in value || 'LogName' in value)
    && ('Message' in value || 'Properties' in value);
}

/** A property's value: ConvertTo-Json writes each as `{"Value": v}` (a SID as an object with its own `Value`). */
function propertyValue(item: unknown): unknown {
  let value: unknown = typeof item === 'object' && item !== null && 'Value' in item ? (item as Fields).Value : item;
  if (typeof value === 'object' && value !== null && 'Value' in value) value = (value as Fields).Value;
  return value;
}

/** `TimeCreated` as ISO text: `/Date(ms)/` is milliseconds since the epoch in UTC; ISO text (PowerShell 7) is kept. */
function powerShellTime(value: unknown): string {
  const raw = text(value);
  const ms = MS_DATE.exec(raw);
  return ms ? formatTicks(BigInt(ms[1] as string) * TICKS_PER_MS) : raw;
}

/** The Windows fields of a PowerShell EventLogRecord (see isPowerShellEventRecord). */
export function powerShellEventRecord(value: Fields): WindowsRecord {
  const channel = text(value.LogName);
  const source = sourceOfChannel(channel || text(value.ProviderName));
  const id = Number(text(value.Id));
  const eventId = Number.isSafeInteger(id) ? id : null;
  const message = typeof value.Message === 'string' ? value.Message : '';
  const properties = Array.isArray(value.Properties) ? value.Properties.map(propertyValue) : [];
  let data: Fields = {};
  let unreadable: string | undefined;
  if (source === 'sysmon') {
    if (message !== '') data = sysmonMessageFields(message);
    else unreadable = 'no Message text; its Properties are not read, their order differs between Sysmon versions';
  } else if (source === 'security' && eventId !== null) {
    const names = SECURITY_PROPERTIES[eventId];
    // ConvertTo-Json's default depth writes each property as its type's name, not its value: then the message is read.
    const valued = properties.length > 0 && !properties.some((p) => typeof p === 'string' && p.startsWith('System.Diagnostics.Eventing.'));
    if (names && valued) {
      names.forEach((name, i) => {
        if (i < properties.length) data[name] = properties[i];
      });
    } else if (names) {
      data = securityMessageFields(eventId, message);
      if (Object.keys(data).length === 0) {
        unreadable = 'its Properties hold no values and its Message is not the English text; export with ConvertTo-Json -Depth 3';
      }
    }
  }
  return {
    source, channel, eventId, host: text(value.MachineName), recordId: text(value.RecordId),
    data: fieldsOf(data), time: powerShellTime(value.TimeCreated), timeZone: 'utc', ...(unreadable ? { unreadable } : {}),
  };
}
