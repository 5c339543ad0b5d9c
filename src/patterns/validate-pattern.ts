// Checks a pattern before use and returns every problem found (an empty list: valid). It never throws.
import { durationTicks } from './durations';
import { OPERATORS } from './operators';
import type { Pattern } from './types';

/** The problems of `pattern`, one sentence each. */
export function validatePattern(pattern: Pattern): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const step of pattern.steps) {
    if (names.has(step.name)) problems.push(`step ${step.name}: duplicate name`);
    names.add(step.name);
  }
  for (const step of pattern.steps) {
    for (const check of step.checks) {
      if (!OPERATORS[check.op]) problems.push(`step ${step.name}: unknown operator ${check.op}`);
      if (check.op === 'gapAfter') {
        const value = check.value as { step?: string; min?: string; max?: string; skew?: Record<string, { early?: string; late?: string }> } | undefined;
        if (!value?.step || !names.has(value.step)) problems.push(`step ${step.name}: gapAfter names no step`);
        const skews = Object.values(value?.skew ?? {}).flatMap((off) => [off.early, off.late]);
        for (const bound of [value?.min, value?.max, ...skews]) {
          if (typeof bound !== 'string' || (!bound.startsWith('$') && durationTicks(bound) === null)) problems.push(`step ${step.name}: gapAfter bound ${String(bound)} is no duration`);
        }
      }
      if (!check.reason) problems.push(`step ${step.name}: a check on ${check.field} has no reason`);
    }
    if (step.collect && step.collect.min < 0) problems.push(`step ${step.name}: collect.min must be >= 0`);
  }
  const linked = new Set<string>([pattern.anchor]);
  for (const link of pattern.links) {
    for (const end of [link.from, link.to]) if (!names.has(end)) problems.push(`link ${link.from} -> ${link.to}: no step ${end}`);
    if (link.type === 'near' && (!link.horizon || durationTicks(link.horizon) === null)) problems.push(`link ${link.from} -> ${link.to}: near needs a horizon`);
    linked.add(link.from);
    linked.add(link.to);
  }
  for (const name of names) if (!linked.has(name)) problems.push(`step ${name}: not linked to the others`);
  for (const step of [pattern.anchor, pattern.groupBy, ...pattern.explainAnchors]) if (!names.has(step)) problems.push(`no step ${step}`);
  if (pattern.steps.find((s) => s.name === pattern.anchor)?.collect) problems.push('the anchor cannot be a collecting step');
  return problems;
}
