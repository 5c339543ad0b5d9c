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
