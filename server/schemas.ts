// The API's schemas (zod): request parameters are validated with them, and the OpenAPI document is generated from
// the same objects, so the document cannot drift from what the routes accept and return.
import { z } from 'zod';
import { isTimeZone, parseTimeOrDate, TIME_ZONE_EXPECTED, YEAR_LAST_ORDERS } from '../src/domain';

const time = (name: string) => z.string().max(64).refine((text) => parseTimeOrDate(text) !== null, { message: `${name} must be an ISO 8601 time or date` })
  .transform((text) => parseTimeOrDate(text)!.ticks);

export const limitParam = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** A time range, and a page of at most 1000 items (100 by default) continued by an opaque cursor. */
const timeRange = { from: time('from').optional(), to: time('to').optional() };
const page = { limit: limitParam(1000, 100), cursor: z.string().max(500).optional() };
const deviceFilter = { deviceId: z.string().min(1).max(200).optional() };

/** `to`, when given with `from`, must be after it (as `lineage detect --to` must): an empty range is a mistake. */
const ordered = (range: { from?: bigint; to?: bigint }): boolean => range.from === undefined || range.to === undefined || range.to > range.from;
const orderedMessage = { message: 'to must be after from', path: ['to'] };

export const matchesQuery = z.object({ mode: z.enum(['lineage', 'sentinel']).default('lineage'), ...deviceFilter, ...timeRange, ...page }).strict()
  .refine(ordered, orderedMessage);

export const rangeQuery = z.object({ ...deviceFilter, ...timeRange }).strict().refine(ordered, orderedMessage);

export const processSearchQuery = z.object({
  q: z.string().max(500).optional(),
  pid: z.coerce.number().int().min(0).max(2 ** 32).optional(),
  ...timeRange,
  ...page,
}).strict().refine(ordered, orderedMessage);

export const lineageQuery = z.object({
  ancestors: z.coerce.number().int().min(0).max(64).default(8),
  descendants: z.coerce.number().int().min(0).max(64).default(3),
  maxNodes: z.coerce.number().int().min(1).max(5000).default(300),
  maxChildren: z.coerce.number().int().min(1).max(5000).optional(),
  skip: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
}).strict();

export const idParam = z.string().min(1).max(500);

/** POST /ingest: `table` does what `lineage ingest --table` does. */
export const ingestQuery = z.object({
  table: z.enum(['DeviceProcessEvents', 'DeviceNetworkEvents']).optional(),
  dateOrder: z.enum(YEAR_LAST_ORDERS).optional(),
  timeZone: z.string().max(64).refine(isTimeZone, `not a time zone (${TIME_ZONE_EXPECTED})`).optional(),
}).strict();

// ---- responses ----

export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

const alertProcess = z.object({ key: z.string(), pid: z.number().nullable(), fileName: z.string(), folderPath: z.string(), commandLine: z.string(), createdAt: z.string().nullable(), accountName: z.string() });
const alertConnection = z.object({ key: z.string(), eventId: z.number(), time: z.string(), actionType: z.string(), localIp: z.string(), localPort: z.number().nullable(), remoteIp: z.string(), remotePort: z.number().nullable(), protocol: z.string() });

export const alert = z.object({
  id: z.string(), mode: z.literal('lineage'),
  rule: z.object({ id: z.string(), name: z.string(), severity: z.string(), tactic: z.string(), technique: z.string() }),
  deviceId: z.string(), deviceName: z.string(), time: z.string(), connections: z.array(alertConnection),
  rpcssHost: alertProcess, dcomLaunchHost: alertProcess, comServer: alertProcess, children: z.array(alertProcess),
  bootTime: z.string().nullable(), gapSeconds: z.number(), entities: z.array(z.record(z.string(), z.string())),
  evidence: z.object({ nodes: z.array(z.string()), eventIds: z.array(z.number()) }),
  notes: z.array(z.string()),
});

export const sentinelMatch = z.object({
  id: z.string(), mode: z.literal('sentinel'), TimestampNetwEventExact: z.string(), TimestampProcEventExact: z.string(), DeviceId: z.string(),
  DeviceName: z.string(), InitiatingProcessId: z.number(), LocalIP: z.string(), RemoteIP: z.string(), LastBootTime: z.string(),
  DCOMCmdLine: z.string(), set_ProcessCommandLine: z.array(z.string()),
});

export const match = z.union([alert, sentinelMatch]);
export const matchPage = z.object({ items: z.array(match), nextCursor: z.string().nullable() });

const graphNode = z.object({ id: z.string(), kind: z.enum(['process', 'connection', 'remote', 'boot', 'more']), label: z.string(), time: z.string().nullable(), matched: z.boolean(), role: z.string().optional(), data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) });
const graphEdge = z.object({ id: z.string(), source: z.string(), target: z.string(), kind: z.enum(['spawned', 'connection', 'remote', 'correlated', 'more']), label: z.string(), matched: z.boolean() });
export const graph = z.object({ nodes: z.array(graphNode), edges: z.array(graphEdge), truncated: z.boolean() });
export const lineageGraph = graph.extend({ root: z.string(), omitted: z.object({ ancestors: z.number(), descendants: z.number(), byNode: z.record(z.string(), z.number()) }) });

export const nearMiss = z.object({
  id: z.string(), deviceId: z.string(), deviceName: z.string(), time: z.string(), reason: z.string(), step: z.string(), missingHop: z.boolean(),
  hopsPresent: z.number(), connection: alertConnection.nullable(), rpcssHost: alertProcess.nullable(), comServer: alertProcess.nullable(),
  dcomLaunchHost: alertProcess.nullable(), children: z.array(alertProcess),
});
export const nearMissList = z.object({ items: z.array(nearMiss), nextCursor: z.null() });

export const comparison = z.object({
  sentinelRows: z.number(), lineageAlerts: z.number(), both: z.number(),
  differences: z.array(z.object({ only: z.enum(['sentinel', 'lineage']), deviceId: z.string(), deviceName: z.string(), time: z.string(), comServerPid: z.number().nullable(), comServerCommandLine: z.string(), remoteIps: z.array(z.string()), reason: z.string(), sentinelRow: z.unknown(), alert: z.unknown() })),
});

export const device = z.object({ deviceId: z.string(), deviceName: z.string(), events: z.object({ DeviceProcessEvents: z.number(), DeviceNetworkEvents: z.number() }), firstSeen: z.string().nullable(), lastSeen: z.string().nullable(), alerts: z.number() });
export const deviceList = z.object({ items: z.array(device), nextCursor: z.null() });

const processSummary = z.object({ key: z.string(), deviceId: z.string(), deviceName: z.string(), pid: z.number().nullable(), createdAt: z.string().nullable(), time: z.string(), fileName: z.string(), folderPath: z.string(), commandLine: z.string(), accountName: z.string(), parentKey: z.string(), parentFileName: z.string(), parentCommandLine: z.string(), eventId: z.number() });
export const processPage = z.object({ items: z.array(processSummary), nextCursor: z.string().nullable() });
export const processDetail = processSummary.extend({ events: z.array(z.object({ table: z.string(), eventId: z.number(), relation: z.enum(['created', 'same-start', 'started-child', 'connection']), columns: z.record(z.string(), z.unknown()) })), truncated: z.boolean() });

export const stats = z.object({ schemaVersion: z.number(), events: z.object({ DeviceProcessEvents: z.number(), DeviceNetworkEvents: z.number() }), devices: z.number(), sources: z.number(), rejects: z.number(), timeRange: z.object({ from: z.string(), to: z.string() }).nullable(), bytes: z.object({ database: z.number(), columnLog: z.number() }), lastRuns: z.array(z.record(z.string(), z.unknown())) });
export const health = z.object({ status: z.literal('ok'), schemaVersion: z.number() });
export const ingestSummary = z.object({ runId: z.number(), files: z.number(), filesFailed: z.number(), events: z.object({ DeviceProcessEvents: z.number(), DeviceNetworkEvents: z.number() }), duplicates: z.number(), rejects: z.number(), skipped: z.number(), warnings: z.number(), seconds: z.number(), messages: z.array(z.string()) }).passthrough();
