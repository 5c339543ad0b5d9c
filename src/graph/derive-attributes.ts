// Attributes derived once when a node enters the graph, so patterns compare plain values: a service host's group,
// a COM surrogate's class, a connection's direction, whether its remote end is the host itself.
import type { ConnectionDirection } from './types';

const SERVICE_GROUP = /(?:^|\s)[-/]k\s+"?([^\s"]+)/i;
const CLSID = /\/processid:\s*(\{[0-9a-f-]{36}\})/i;

/** `svchost.exe -k RPCSS -p` -> 'rpcss'; '' when the command line names no group. */
export function serviceGroupOf(commandLine: string): string {
  return SERVICE_GROUP.exec(commandLine)?.[1]?.toLowerCase() ?? '';
}

/** `dllhost.exe /Processid:{AB8902B4-...}` -> '{AB8902B4-...}'; '' when none. */
export function clsidOf(commandLine: string): string {
  return CLSID.exec(commandLine)?.[1]?.toUpperCase() ?? '';
}

const DIRECTIONS: Record<string, ConnectionDirection> = {
  inboundconnectionaccepted: 'inbound',
  connectionsuccess: 'outbound',
  connectionattempt: 'outbound',
  connectionfailed: 'outbound',
  connectionrequest: 'outbound',
  listeningconnectioncreated: 'listening',
};

/** The direction an MDE ActionType (any letter case) describes. */
export function directionOf(actionType: string): ConnectionDirection {
  return DIRECTIONS[actionType.toLowerCase()] ?? 'other';
}

/** An address in one canonical text: IPv4-mapped IPv6 unwrapped, lower case, no zone id. */
export function canonicalIp(ip: string): string {
  const bare = ip.trim().toLowerCase().replace(/%.*$/, '');
  return bare.startsWith('::ffff:') && bare.includes('.') ? bare.slice(7) : bare;
}

/** Whether the remote end is the host itself: loopback, unspecified, or equal to the local address. */
export function isLocalPeer(localIp: string, remoteIp: string): boolean {
  const remote = canonicalIp(remoteIp);
  if (remote === '') return false; // unknown (a listening socket has none)
  if (remote === '::1' || remote === '0.0.0.0' || remote === '::' || remote.startsWith('127.')) return true;
  return remote === canonicalIp(localIp);
}

/**
 * How far a connection's logged time can be trusted, by the log it came from: 'sysmon' (Sysmon 3 is written from a
 * buffer and can be seconds early or slightly late), 'seconds' (a time with no fraction, such as Security 5156 as
 * NXLog writes it: up to a second early), 'exact' (MDE and other sub-second sources).
 */
export type Clock = 'sysmon' | 'seconds' | 'exact';

export function clockOf(reportId: string, timeText: string): Clock {
  if (reportId.length > 24 && (reportId.charCodeAt(0) | 32) === 109 && reportId.slice(0, 24).toLowerCase() === 'microsoft-windows-sysmon') return 'sysmon';
  // '...T12:00:22Z', '12:00:22', '12:00:22.0000000Z': a fraction means sub-second precision.
  const seconds = timeText.lastIndexOf(':');
  return seconds >= 0 && timeText.indexOf('.', seconds) < 0 ? 'seconds' : 'exact';
}
