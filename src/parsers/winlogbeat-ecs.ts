// Windows events shipped by winlogbeat or the Elastic Agent (Elastic Common Schema): `winlog.*` carries the System
// part (`event_id`, `channel`, `computer_name`, `record_id`) and whatever of EventData the ingest pipeline left in
// `winlog.event_data`; the Sysmon and Security pipelines move the rest into ECS fields (`process.*`,
// `process.parent.*`, `source.*`, `destination.*`, `network.*`, `user.*`) and Sysmon's UtcTime into `@timestamp`.
// This maps those back to the Windows field names, EventData first, so one normaliser reads every shape.
import { fieldsOf, sourceOfChannel, text, type Fields, type WindowsRecord } from './windows-record';

/** Whether `value` is an ECS document of a Windows event. */
export function isWinlogbeatRecord(value: Fields): boolean {
  const winlog = fieldsOf(value.winlog);
  return 'event_id' in winlog || ('channel' in winlog && 'event' in value);
}

/** network.direction (ECS: ingress/egress; older winlogbeat: inbound/outbound) as Sysmon's Initiated. */
function initiated(direction: string): string {
  const d = direction.toLowerCase();
  if (d === 'egress' || d === 'outbound') return 'true';
  if (d === 'ingress' || d === 'inbound') return 'false';
  return '';
}

export function winlogbeatRecord(value: Fields): WindowsRecord {
  const winlog = fieldsOf(value.winlog);
  const event = fieldsOf(value.event);
  const process = fieldsOf(value.process);
  const parent = fieldsOf(process.parent);
  const source = fieldsOf(value.source);
  const destination = fieldsOf(value.destination);
  const network = fieldsOf(value.network);
  const user = fieldsOf(value.user);
  const host = fieldsOf(value.host);
  const channel = text(winlog.channel);
  const id = Number(text(winlog.event_id ?? event.code));
  const eventId = Number.isSafeInteger(id) ? id : null;
  const kind = sourceOfChannel(channel || text(winlog.provider_name ?? event.provider));
  const account = text(user.name) === '' ? '' : text(user.domain) === '' ? text(user.name) : `${text(user.domain)}\\${text(user.name)}`;
  const direction = text(network.direction);
  // ECS names by the Windows field they came from; EventData left in place wins.
  const ecs: Fields = kind === 'security'
    ? {
      NewProcessId: process.pid, NewProcessName: process.executable, CommandLine: process.command_line,
      ProcessId: eventId === 4688 ? parent.pid : process.pid, ParentProcessName: parent.executable,
      TargetUserName: user.name, Application: process.executable,
      SourceAddress: source.ip, SourcePort: source.port, DestAddress: destination.ip, DestPort: destination.port,
      Direction: initiated(direction) === 'false' ? '%%14592' : initiated(direction) === 'true' ? '%%14593' : undefined,
      Protocol: text(network.transport).toLowerCase() === 'tcp' ? '6' : text(network.transport).toLowerCase() === 'udp' ? '17' : network.transport,
    }
    : {
      ProcessGuid: process.entity_id, ProcessId: process.pid, Image: process.executable, CommandLine: process.command_line,
      ParentProcessGuid: parent.entity_id, ParentProcessId: parent.pid, ParentImage: parent.executable, ParentCommandLine: parent.command_line,
      User: account || undefined, Protocol: network.transport, Initiated: initiated(direction) || undefined,
      SourceIp: source.ip, SourcePort: source.port, SourceHostname: source.domain,
      DestinationIp: destination.ip, DestinationPort: destination.port, DestinationHostname: destination.domain,
    };
  const data: Fields = {};
  for (const [key, v] of Object.entries(ecs)) if (v !== undefined && v !== null && v !== '') data[key] = v;
  Object.assign(data, fieldsOf(winlog.event_data));
  return {
    source: kind, channel, eventId,
    host: text(winlog.computer_name) || text(host.hostname) || text(host.name),
    recordId: text(winlog.record_id), data,
    // winlogbeat sets @timestamp to the event's time (Sysmon: its UtcTime), in UTC.
    time: text(value['@timestamp'] ?? winlog.time_created), timeZone: 'utc',
  };
}
