// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with.
import { z } from 'zod';
import { YEAR_LAST_ORDERS } from '../src/domain';
import * as s from './schemas';

type QuerySchema = z.ZodObject<z.ZodRawShape>;

function parameters(query: QuerySchema | null, path: string[] = []): unknown[] {
  const out: unknown[] = path.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!query) return out;
  for (const [name, field] of Object.entries(query.shape)) {
    const schema = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete schema.$schema;
    out.push({ name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, schema });
  }
  return out;
}

function jsonResponse(ref: string, description: string) {
  return { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } };
}

const errors = {
  400: jsonResponse('Error', 'a parameter is invalid (the error names it)'),
  401: jsonResponse('Error', 'a token is set and the request has no valid one'),
  403: jsonResponse('Error', 'the Host header names no name of this server'),
  404: jsonResponse('Error', 'no such resource'),
  500: jsonResponse('Error', 'internal error (no details)'),
};

const get = (summary: string, response: string, query: QuerySchema | null, path: string[] = []) =>
  ({ get: { summary, parameters: parameters(query, path), responses: { 200: jsonResponse(response, summary), ...errors } } });

/** Schemas of the components section, by name (used by the document and by response validation in tests). */
export const COMPONENTS: Record<string, z.ZodType> = {
  Error: s.errorBody, Health: s.health, Stats: s.stats, DeviceList: s.deviceList, MatchPage: s.matchPage, Match: s.match,
  Graph: s.graph, LineageGraph: s.lineageGraph, NearMissList: s.nearMissList, Comparison: s.comparison,
  ProcessPage: s.processPage, ProcessDetail: s.processDetail, IngestSummary: s.ingestSummary,
};

/** The document. */
export function openApiDocument(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(COMPONENTS)) {
    const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    schemas[name] = json;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Lineage API', version: '1.0.0', description: 'Process lineage and DCOM lateral-movement matches over the local store.' },
    servers: [{ url: '/api/v1' }],
    components: {
      schemas,
      securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'required on every route but /health when the server was started with --token' } },
    },
    security: [{ token: [] }, {}],
    paths: {
      '/health': get('liveness and schema version', 'Health', null),
      '/stats': get('what the store holds', 'Stats', null),
      '/devices': get('devices with event counts, first and last seen, alert count', 'DeviceList', null),
      '/matches': {
        get: {
          summary: 'matches newest first, cursor-paginated; Accept: application/x-ndjson streams them all',
          parameters: parameters(s.matchesQuery as unknown as QuerySchema),
          responses: { 200: { description: 'a page', content: { 'application/json': { schema: { $ref: '#/components/schemas/MatchPage' } }, 'application/x-ndjson': { schema: { $ref: '#/components/schemas/Match' } } } }, ...errors },
        },
      },
      '/matches/explain': get('near misses, each with the one condition that stopped it', 'NearMissList', s.rangeQuery as unknown as QuerySchema),
      '/matches/compare': get('where the two modes differ, each with the reason', 'Comparison', s.rangeQuery as unknown as QuerySchema),
      '/matches/{id}': get('one match', 'Match', null, ['id']),
      '/matches/{id}/graph': get('the evidence subgraph of a match, matched path marked, one hop of context', 'Graph', null, ['id']),
      '/devices/{deviceId}/processes': get('process search on a device', 'ProcessPage', s.processSearchQuery as unknown as QuerySchema, ['deviceId']),
      '/processes/{key}': get('one process with every field and its raw events', 'ProcessDetail', null, ['key']),
      '/processes/{key}/lineage': get('ancestors and descendants, bounded, with what was left out', 'LineageGraph', s.lineageQuery as unknown as QuerySchema, ['key']),
      '/ingest': {
        post: {
          summary: 'ingest a body in any format `lineage ingest` reads (same dedup and reject rules); needs the token when one is set',
          parameters: [{ name: 'table', in: 'query', required: false, schema: { enum: ['DeviceProcessEvents', 'DeviceNetworkEvents'] } },
            { name: 'dateOrder', in: 'query', required: false, schema: { enum: [...YEAR_LAST_ORDERS] } },
            { name: 'timeZone', in: 'query', required: false, schema: { type: 'string', description: 'IANA time zone of local times (`[Local Time]` columns)' } }],
          requestBody: { required: true, content: { 'application/x-ndjson': {}, 'application/json': {}, 'text/csv': {} } },
          responses: { 200: jsonResponse('IngestSummary', 'the ingest summary'), 413: jsonResponse('Error', 'body over the size limit'), 429: jsonResponse('Error', 'too many ingest requests'), ...errors },
        },
      },
    },
  };
}
