// The one generic matcher. It binds a pattern's steps to graph nodes in plan order, following each step's link from
// an earlier one, and evaluates checks as soon as the steps they refer to are bound. With a failure budget of 0 it
// finds matches; with 1 it finds near misses: chains that fail exactly one check, or lack exactly one hop.
import type { Ticks } from '../domain';
import type { DeviceGraph, NodeAttributes } from '../graph';
import type { CompiledCheck, CompiledPattern, CompiledStep, PlanStep } from './compile-pattern';
import type { OperatorEnv } from './operators';

export interface MatchFailure {
  step: string;
  /** The failed check's reason, or `missing hop: ...` when the step found no node at all. */
  reason: string;
  missing: boolean;
}

export interface PatternMatch {
  /** Step name -> node key (collecting steps: keys, possibly none in a near miss). */
  bindings: Record<string, string | string[]>;
  failure: MatchFailure | null;
}

export interface MatchOptions {
  lists?: OperatorEnv['lists'];
  /** 0: matches only; 1: near misses with one failure (matches excluded). */
  failureBudget?: 0 | 1;
  /** Start from this step instead of the pattern's anchor (must have a plan). */
  anchor?: string;
  /** Only these nodes for the anchor step (default: every node of its kind). */
  anchorNodes?: readonly string[];
}

interface TimeIndex {
  times: Ticks[];
  keys: string[];
}

function timeIndex(graph: DeviceGraph, kind: string, cache: Map<string, TimeIndex>): TimeIndex {
  let index = cache.get(kind);
  if (!index) {
    const entries = graph.filterNodes((_key, attributes) => attributes.kind === kind && attributes.time !== null)
      .map((key) => [graph.getNodeAttribute(key, 'time') as Ticks, key] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
    index = { times: entries.map((e) => e[0]), keys: entries.map((e) => e[1]) };
    cache.set(kind, index);
  }
  return index;
}

function near(index: TimeIndex, time: Ticks, horizon: Ticks): string[] {
  let lo = 0;
  let hi = index.times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((index.times[mid] as Ticks) < time - horizon) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < index.times.length && (index.times[i] as Ticks) <= time + horizon; i++) out.push(index.keys[i] as string);
  return out;
}

function fieldOf(node: NodeAttributes, field: string): unknown {
  return (node as unknown as Record<string, unknown>)[field];
}

/** The reasons of the checks `node` fails; deferred (undecidable) checks are returned separately. */
function evaluate(step: CompiledStep, node: NodeAttributes, env: Omit<OperatorEnv, 'node'>): { failed: string[]; deferred: CompiledCheck[] } {
  const failed: string[] = [];
  const deferred: CompiledCheck[] = [];
  const context: OperatorEnv = { node, ...env }; // env has no node; a literal opening with a spread is slow (see withFields)
  for (const check of step.checks) {
    const verdict = check.op(fieldOf(node, check.field), check.value, context);
    if (verdict === null) deferred.push(check);
    else if (!verdict) failed.push(check.reason);
  }
  return { failed, deferred };
}

/** Matches (budget 0) or near misses (budget 1) of `compiled` in `graph`. */
export function matchPattern(graph: DeviceGraph, compiled: CompiledPattern, options: MatchOptions = {}): PatternMatch[] {
  const budget = options.failureBudget ?? 0;
  const anchor = options.anchor ?? compiled.pattern.anchor;
  const plan = compiled.plans.get(anchor);
  if (!plan) throw new Error(`pattern ${compiled.pattern.id}: no plan from ${anchor}`);
  const lists = options.lists ?? {};
  const indexes = new Map<string, TimeIndex>();
  const results: PatternMatch[] = [];
  const bound = new Map<string, NodeAttributes>();
  const bindings: Record<string, string | string[]> = {};
  const missing = new Set<string>();
  const pendingChecks: Array<{ step: CompiledStep; node: NodeAttributes; check: CompiledCheck }> = [];

  const candidatesFor = (entry: PlanStep): string[] => {
    const via = entry.via;
    if (!via) {
      return options.anchorNodes ? [...options.anchorNodes] : graph.filterNodes((_k, a) => a.kind === entry.step.kind);
    }
    const fromKey = bindings[via.from];
    if (typeof fromKey !== 'string') return [];
    let keys: string[];
    if (via.type === 'near') {
      const time = graph.getNodeAttribute(fromKey, 'time');
      keys = time === null ? [] : near(timeIndex(graph, entry.step.kind, indexes), time, via.horizon);
    } else {
      const wanted = via.type === 'spawned' ? 'spawned' : 'connection';
      const edges = via.forward ? graph.outboundEdges(fromKey) : graph.inboundEdges(fromKey);
      keys = edges.filter((e) => graph.getEdgeAttribute(e, 'kind') === wanted).map((e) => (via.forward ? graph.target(e) : graph.source(e)));
    }
    return keys.filter((key) => graph.getNodeAttribute(key, 'kind') === entry.step.kind);
  };

  const finish = (failures: MatchFailure[]): void => {
    const late: MatchFailure[] = [];
    for (const { step, node, check } of pendingChecks) {
      const verdict = check.op(fieldOf(node, check.field), check.value, { node, bound, graph, lists });
      if (verdict === false) late.push({ step: step.name, reason: check.reason, missing: false });
    }
    const all = [...failures, ...late];
    if (all.length !== budget) return;
    results.push({ bindings: { ...bindings }, failure: all[0] ?? null });
  };

  const bindStep = (i: number, failures: MatchFailure[]): void => {
    if (i === plan.length) {
      finish(failures);
      return;
    }
    const entry = plan[i] as PlanStep;
    const step = entry.step;
    if (entry.via && missing.has(entry.via.from)) {
      // Reached only through a missing hop: part of that same gap, not another failure.
      missing.add(step.name);
      bindStep(i + 1, failures);
      missing.delete(step.name);
      return;
    }
    const candidates = candidatesFor(entry);
    const env = { bound, graph, lists };
    if (step.collect) {
      const passing: string[] = [];
      const reasons = new Map<string, number>();
      for (const key of candidates) {
        const { failed } = evaluate(step, graph.getNodeAttributes(key), env);
        if (failed.length === 0) passing.push(key);
        else for (const reason of failed) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      bindings[step.name] = passing;
      if (passing.length >= step.collect.min) bindStep(i + 1, failures);
      else if (failures.length < budget) {
        const common = [...reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
        const failure = candidates.length === 0 || !common
          ? { step: step.name, reason: `missing hop: ${step.description}`, missing: true }
          : { step: step.name, reason: common, missing: false };
        bindStep(i + 1, [...failures, failure]);
      }
      delete bindings[step.name];
      return;
    }
    for (const key of candidates) {
      const node = graph.getNodeAttributes(key);
      const { failed, deferred } = evaluate(step, node, env);
      if (failures.length + failed.length > budget) continue;
      bindings[step.name] = key;
      bound.set(step.name, node);
      for (const check of deferred) pendingChecks.push({ step, node, check });
      bindStep(i + 1, [...failures, ...failed.map((reason) => ({ step: step.name, reason, missing: false }))]);
      pendingChecks.splice(pendingChecks.length - deferred.length, deferred.length);
      bound.delete(step.name);
      delete bindings[step.name];
    }
    // With budget left, the chain may also lack this hop altogether (whatever nodes are near it).
    if (failures.length < budget && entry.via) {
      missing.add(step.name);
      bindStep(i + 1, [...failures, { step: step.name, reason: `missing hop: ${step.description}`, missing: true }]);
      missing.delete(step.name);
    }
  };

  const anchorEntry = plan[0] as PlanStep;
  for (const key of candidatesFor(anchorEntry)) {
    const node = graph.getNodeAttributes(key);
    const { failed, deferred } = evaluate(anchorEntry.step, node, { bound, graph, lists });
    if (failed.length > budget) continue;
    bindings[anchorEntry.step.name] = key;
    bound.set(anchorEntry.step.name, node);
    for (const check of deferred) pendingChecks.push({ step: anchorEntry.step, node, check });
    bindStep(1, failed.map((reason) => ({ step: anchorEntry.step.name, reason, missing: false })));
    pendingChecks.length = 0;
    bound.clear();
    for (const name of Object.keys(bindings)) delete bindings[name];
  }
  return results;
}
