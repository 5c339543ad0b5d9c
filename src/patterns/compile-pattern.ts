// Compiles a validated pattern once: durations to ticks, `$settings` substituted, operator names to functions, and
// for each anchor a plan (the order steps are bound in, each reached through one link from an earlier step).
import { absTicks, type Ticks } from '../domain';
import { durationTicks } from './durations';
import type { Clock } from '../graph';
import { OPERATORS, type GapWindow, type Operator } from './operators';
import type { Pattern, PatternLink, PatternStep } from './types';
import { validatePattern } from './validate-pattern';

export interface CompiledCheck {
  field: string;
  op: Operator;
  value: unknown;
  reason: string;
}

export interface CompiledStep {
  name: string;
  kind: PatternStep['kind'];
  description: string;
  checks: CompiledCheck[];
  collect: { min: number } | null;
}

export interface PlanStep {
  step: CompiledStep;
  /** The earlier step it is reached from, and how (null for the anchor). */
  via: { from: string; type: PatternLink['type']; forward: boolean; horizon: Ticks } | null;
}

export interface CompiledPattern {
  pattern: Pattern;
  steps: ReadonlyMap<string, CompiledStep>;
  plans: ReadonlyMap<string, PlanStep[]>;
  /** The widest `near` horizon: how far apart in time two linked steps can be. */
  reach: Ticks;
}

export type PatternSettings = Readonly<Record<string, string>>;

function resolveDuration(text: string, settings: PatternSettings): Ticks {
  const resolved = text.startsWith('$') ? settings[text.slice(1)] ?? '' : text;
  const ticks = durationTicks(resolved);
  if (ticks === null) throw new Error(`pattern: setting ${text} is not a duration (${resolved})`);
  return ticks;
}

/**
 * A `near` link's horizon: the declared one, widened to every `gapAfter` window between its two steps, so a setting
 * such as windowMax 30s (or windowMin -30s, for a source whose network clock runs late) is searched, not cut off.
 */
function nearHorizon(link: PatternLink, steps: ReadonlyMap<string, CompiledStep>): Ticks {
  let horizon = link.horizon ? durationTicks(link.horizon) ?? 0n : 0n;
  const widen = (t: Ticks): void => { if (absTicks(t) > horizon) horizon = absTicks(t); };
  for (const [earlier, later] of [[link.from, link.to], [link.to, link.from]] as const) {
    for (const check of steps.get(later)?.checks ?? []) {
      if (check.op !== OPERATORS.gapAfter) continue;
      const window = check.value as GapWindow;
      if (window.step !== earlier) continue;
      widen(window.min);
      widen(window.max);
      for (const off of Object.values(window.skew)) { widen(window.min - off.late); widen(window.max + off.early); }
    }
  }
  return horizon;
}

function planFrom(anchor: string, pattern: Pattern, steps: ReadonlyMap<string, CompiledStep>): PlanStep[] {
  const plan: PlanStep[] = [{ step: steps.get(anchor) as CompiledStep, via: null }];
  const placed = new Set([anchor]);
  for (let i = 0; i < plan.length; i++) {
    const current = (plan[i] as PlanStep).step.name;
    for (const link of pattern.links) {
      const forward = link.from === current;
      const next = forward ? link.to : link.to === current ? link.from : null;
      if (!next || placed.has(next)) continue;
      placed.add(next);
      plan.push({ step: steps.get(next) as CompiledStep, via: { from: current, type: link.type, forward, horizon: link.type === 'near' ? nearHorizon(link, steps) : 0n } });
    }
  }
  return plan;
}

/** Compiles `pattern`; throws with every problem listed when it is invalid. */
export function compilePattern(pattern: Pattern, settings: PatternSettings = {}): CompiledPattern {
  const problems = validatePattern(pattern);
  if (problems.length > 0) throw new Error(`pattern ${pattern.id} is invalid: ${problems.join('; ')}`);
  const steps = new Map<string, CompiledStep>();
  for (const step of pattern.steps) {
    steps.set(step.name, {
      name: step.name, kind: step.kind, description: step.description, collect: step.collect ?? null,
      checks: step.checks.map((check) => {
        let value = check.value;
        if (check.op === 'gapAfter') {
          const v = value as { step: string; min: string; max: string; skew?: Record<string, { early: string; late: string }> };
          const skew: GapWindow['skew'] = {};
          for (const [clock, off] of Object.entries(v.skew ?? {})) {
            skew[clock as Clock] = { early: resolveDuration(off.early, settings), late: resolveDuration(off.late, settings) };
          }
          const window: GapWindow = { step: v.step, min: resolveDuration(v.min, settings), max: resolveDuration(v.max, settings), skew };
          value = window;
        } else if (typeof value === 'string' && (check.op === 'sinceBootAtLeast')) {
          value = resolveDuration(value, settings);
        }
        return { field: check.field, op: OPERATORS[check.op] as Operator, value, reason: check.reason };
      }),
    });
  }
  const plans = new Map<string, PlanStep[]>();
  for (const anchor of new Set([pattern.anchor, ...pattern.explainAnchors])) plans.set(anchor, planFrom(anchor, pattern, steps));
  let reach = 0n;
  for (const link of pattern.links) if (link.type === 'near') { const h = nearHorizon(link, steps); if (h > reach) reach = h; }
  return { pattern, steps, plans, reach };
}
