// The matches of both modes over the whole store, computed once per store version and kept while the store does
// not change (the HTTP API serves pages of them). The version is the highest event row id of each table: ingest only
// ever appends, so any new event changes it. Lineage alerts are then brought up to date incrementally.
import { Worker } from 'node:worker_threads';
import { hash53, LineageError, parseTime, type Ticks } from '../domain';
import { currentWatermark, type Store } from '../store';
import type { Alert } from './alert';
import type { LineageOptions } from './detect-lineage';
import { explainLineage, type NearMiss } from './explain-lineage';
import { IncrementalLineage } from './incremental-lineage';
import { replaySentinel } from './replay-sentinel';
import type { SentinelRow } from './sentinel-rule';

export interface SentinelMatch extends SentinelRow {
  id: string;
  mode: 'sentinel';
}

export type Match = Alert | SentinelMatch;

export interface MatchFilter {
  mode: 'lineage' | 'sentinel';
  deviceId?: string;
  from?: Ticks | null;
  to?: Ticks | null;
}

/** The time a match is listed by: the COM server's start. */
export function matchTime(match: Match): string {
  return match.mode === 'lineage' ? match.time : match.TimestampProcEventExact;
}

/** The device a match is on. */
export function matchDevice(match: Match): string {
  return match.mode === 'lineage' ? match.deviceId : match.DeviceId;
}

export interface MatchSnapshot {
  version: string;
  lineage: Alert[];
  sentinel: SentinelMatch[];
}

const newestFirst = <T extends Match>(items: T[]): T[] =>
  items.sort((a, b) => (matchTime(a) > matchTime(b) ? -1 : matchTime(a) < matchTime(b) ? 1 : a.id < b.id ? -1 : 1));

/** Both modes' matches over the whole store, lineage brought up to date through `incremental`. */
export function computeMatches(db: Store, incremental: IncrementalLineage): MatchSnapshot {
  const version = JSON.stringify(currentWatermark(db));
  incremental.refresh();
  return {
    version,
    lineage: newestFirst(incremental.list()),
    sentinel: newestFirst(replaySentinel(db, null, null).map((row) => ({
      ...row, mode: 'sentinel' as const,
      id: `rule-${hash53(JSON.stringify({ ...row, set_ProcessCommandLine: undefined })).toString(16).padStart(14, '0')}`,
    }))),
  };
}

/** A one-shot job for a worker thread of its own: near misses. */
export interface WorkerJob {
  kind: 'explain';
  options: LineageOptions;
}

/** What a job's worker posts back: its result, or the error it raised (a LineageError's code, null for another). */
export type WorkerJobResult = { items: NearMiss[] } | { error: { message: string; code: string | null } };

/** One-shot jobs running at once; more wait their turn (each holds a device slice's graph, and there are 2 cores). */
const MAX_JOBS = 2;

/** Where the match worker is: dist/match-worker.js when bundled, the TypeScript source through tsx otherwise. */
function workerLocation(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./match-worker-dev.mjs', here);
  return new URL(here.includes('/chunks/') ? '../match-worker.js' : './match-worker.js', here);
}

export interface MatchIndexOptions {
  lineage?: LineageOptions;
  /** While the store keeps changing (an ingest running), recompute at most this often. */
  minAgeMs?: number;
  /** Recompute in a worker thread, off the request path (needs a store file, not ':memory:'). */
  background?: boolean;
  /** Told when the background worker stops on an error: matches are then computed on the request thread. */
  onWorkerError?: (error: Error) => void;
}

export class MatchIndex {
  private version = '';
  private lineage: Alert[] = [];
  private sentinel: SentinelMatch[] = [];
  private byId = new Map<string, Match>();
  private computedAt = 0;
  private readonly incremental: IncrementalLineage;
  private readonly minAgeMs: number;
  private worker: Worker | null = null;
  private pending = false;
  private readonly background: boolean;
  private readonly jobs = new Set<Worker>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly db: Store, options: MatchIndexOptions = {}) {
    this.incremental = new IncrementalLineage(db, options.lineage ?? {});
    this.minAgeMs = options.minAgeMs ?? 2000;
    this.background = (options.background ?? false) && db.name !== ':memory:';
    if (this.background) {
      this.worker = new Worker(workerLocation(), { workerData: { dbPath: db.name, lineage: options.lineage ?? {} } });
      this.worker.unref();
      this.worker.on('message', (snapshot: MatchSnapshot) => {
        this.pending = false;
        this.apply(snapshot);
      });
      this.worker.on('error', (error) => {
        this.pending = false;
        this.worker = null;
        options.onWorkerError?.(error);
      });
    }
  }

  private apply(snapshot: MatchSnapshot): void {
    this.lineage = snapshot.lineage;
    this.sentinel = snapshot.sentinel;
    this.byId = new Map<string, Match>([...this.lineage, ...this.sentinel].map((m) => [m.id, m]));
    this.version = snapshot.version;
  }

  private refresh(): void {
    const version = JSON.stringify(currentWatermark(this.db));
    if (version === this.version) return;
    // The first answer is computed here; later ones in the worker (when there is one) while requests keep being served.
    if (this.version !== '' && Date.now() - this.computedAt < this.minAgeMs) return;
    this.computedAt = Date.now();
    if (this.worker && this.version !== '') {
      if (!this.pending) {
        this.pending = true;
        this.worker.postMessage('refresh');
      }
      return;
    }
    this.apply(computeMatches(this.db, this.incremental));
  }

  /** Stops the background worker and any job still running. */
  close(): void {
    void this.worker?.terminate();
    this.worker = null;
    for (const job of this.jobs) void job.terminate();
  }

  /**
   * Near misses (explainLineage): in a worker thread of their own when the index works in the background, so a
   * whole-store explain (17 s on the bench's 1M events) leaves the server answering other requests meanwhile.
   */
  async explain(options: LineageOptions): Promise<NearMiss[]> {
    if (!this.background) return explainLineage(this.db, options);
    if (this.running < MAX_JOBS) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // a finishing job hands its slot over
    try {
      return await this.runJob({ kind: 'explain', options });
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private runJob(job: WorkerJob): Promise<NearMiss[]> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerLocation(), { workerData: { dbPath: this.db.name, lineage: {}, job } });
      this.jobs.add(worker);
      worker.once('message', (result: WorkerJobResult) => {
        if ('items' in result) resolve(result.items);
        // As the parse workers' errors come back (worker-parser.ts): the HTTP layer answers by the code.
        else reject(result.error.code === null ? new Error(result.error.message) : new LineageError(result.error.code, result.error.message));
      });
      worker.once('error', reject);
      // After a message this changes nothing; without one (terminated by close()), the request gets an error.
      worker.once('exit', (code) => {
        this.jobs.delete(worker);
        reject(new Error(`explain: the worker stopped (exit code ${code}) before it answered`));
      });
    });
  }

  /** Matches of one mode passing the filter, newest first. */
  list(filter: MatchFilter): Match[] {
    this.refresh();
    const items: Match[] = filter.mode === 'lineage' ? this.lineage : this.sentinel;
    return items.filter((m) => (!filter.deviceId || matchDevice(m) === filter.deviceId) && inRange(matchTime(m), filter.from ?? null, filter.to ?? null));
  }

  get(id: string): Match | undefined {
    this.refresh();
    return this.byId.get(id);
  }

  /** Lineage alerts per device id. */
  alertCounts(): Map<string, number> {
    this.refresh();
    const counts = new Map<string, number>();
    for (const alert of this.lineage) counts.set(alert.deviceId, (counts.get(alert.deviceId) ?? 0) + 1);
    return counts;
  }
}

function inRange(time: string, from: Ticks | null, to: Ticks | null): boolean {
  if (from === null && to === null) return true;
  const ticks = parseTime(time)?.ticks ?? 0n;
  return (from === null || ticks >= from) && (to === null || ticks < to);
}
