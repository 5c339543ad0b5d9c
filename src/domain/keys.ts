// Deterministic keys, built here and nowhere else, so every layer agrees on identity.
import { createHash } from 'node:crypto';
import { TICKS_PER_SECOND, type Ticks } from './ticks';

/** A 53-bit FNV-1a hash of a string (two 32-bit lanes), exact in a JS number and in an SQLite INTEGER. */
export function hash53(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 13);
  }
  return (h2 >>> 11) * 0x100000000 + (h1 >>> 0);
}

/**
 * Identity of an event within its device and timestamp, as a 53-bit integer (small index keys are what keeps
 * ingest fast). MDE documents (DeviceId, Timestamp, ReportId) as unique; ActionType is added because one report
 * can yield rows of several action types. Rows with no ReportId are identified by a hash of `content` (their
 * columns as JSON, or a Windows record as stored), so the same row from two exports still collides. Two distinct
 * events collide only if they share device and exact 100-ns time and their 53-bit hashes.
 */
export function eventIdentity(reportId: string, actionType: string, content: string): number {
  if (reportId !== '') return hash53(`${reportId}|${actionType}`);
  return Number.parseInt(createHash('sha1').update(content).digest('hex').slice(0, 13), 16);
}

/**
 * How far apart two sources may time the same process start: Security 4688 has whole seconds, and NXLog's times are
 * shifted from local time. Sysmon's start and a 4688's of the same image and PID this close are one process.
 */
export const SAME_START_SLACK = 2n * TICKS_PER_SECOND;

/** Key of a process node: device, PID and exact creation time (ticks), or a source's own unique id. */
export function processKey(p: { deviceId: string; pid: number | null; createdAt: Ticks | null; uniqueId?: string }): string {
  if (p.uniqueId) return `${p.deviceId}:u:${p.uniqueId}`;
  return `${p.deviceId}:${p.pid ?? '?'}:${p.createdAt ?? '?'}`;
}

/** The parts of a process key (see processKey), or null when `key` is not one. */
export function parseProcessKey(key: string): { deviceId: string; pid: number | null; createdAt: Ticks | null; uniqueId: string } | null {
  const unique = /^(.+):u:(.+)$/.exec(key);
  if (unique) return { deviceId: unique[1] as string, pid: null, createdAt: null, uniqueId: unique[2] as string };
  const match = /^(.+):(\d+|\?):(-?\d+|\?)$/.exec(key);
  if (!match) return null;
  return {
    deviceId: match[1] as string,
    pid: match[2] === '?' ? null : Number(match[2]),
    createdAt: match[3] === '?' ? null : BigInt(match[3] as string),
    uniqueId: '',
  };
}
