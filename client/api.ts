// The client's view of the HTTP API: typed fetches of /api/v1. Types come from src as `import type` only.
import type { GraphDto } from '../src/domain';
import type { Alert, NearMiss, ModeComparison, SentinelMatch } from '../src/detect';
import type { LineageGraph, Page, ProcessDetail, ProcessSummary } from '../src/queries';
import type { DeviceSummary } from '../src/store';

export type Match = Alert | SentinelMatch;
export type Device = DeviceSummary & { alerts: number };
export type { GraphDto, Alert, NearMiss, ModeComparison, SentinelMatch, LineageGraph, ProcessDetail, ProcessSummary };

export class ApiError extends Error {}

/** The server wants its access token (`lineage serve --token`), or refused the one given. */
export class TokenRequired extends ApiError {}

const TOKEN_KEY = 'lineage-token';

/**
 * The access token the user typed: kept for this tab only (sessionStorage, gone when the tab closes), sent as
 * `Authorization: Bearer`, never put in a URL (where history and logs would keep it).
 */
export const accessToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
};

async function get<T>(path: string, params: Record<string, string | number | undefined | null> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = accessToken.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`/api/v1${path}${query.size ? `?${query}` : ''}`, { headers });
  const body = await response.json() as T & { error?: { message: string } };
  if (response.status === 401) throw new TokenRequired(token ? 'the server refused that token' : 'this server needs its access token');
  if (!response.ok) throw new ApiError(body.error?.message ?? `HTTP ${response.status}`);
  return body;
}

const enc = encodeURIComponent;

export const api = {
  devices: () => get<{ items: Device[] }>('/devices'),
  matches: (p: { mode: string; deviceId?: string; from?: string; to?: string; limit?: number; cursor?: string | null }) => get<Page<Match>>('/matches', p),
  match: (id: string) => get<Match>(`/matches/${enc(id)}`),
  matchGraph: (id: string) => get<GraphDto>(`/matches/${enc(id)}/graph`),
  compare: (p: { deviceId?: string; from?: string; to?: string }) => get<ModeComparison>('/matches/compare', p),
  explain: (p: { deviceId?: string; from?: string; to?: string }) => get<{ items: NearMiss[] }>('/matches/explain', p),
  processes: (deviceId: string, p: { q?: string; pid?: string; from?: string; to?: string; limit?: number; cursor?: string | null }) => get<Page<ProcessSummary>>(`/devices/${enc(deviceId)}/processes`, p),
  process: (key: string) => get<ProcessDetail>(`/processes/${enc(key)}`),
  lineage: (key: string, p: { ancestors?: number; descendants?: number; maxNodes?: number; maxChildren?: number; skip?: number }) => get<LineageGraph>(`/processes/${enc(key)}/lineage`, p),
};
