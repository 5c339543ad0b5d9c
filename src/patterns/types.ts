// The pattern language: a detection is frozen data (steps with checks, links between steps), validated once,
// compiled once, matched by one generic matcher (match-pattern.ts).

/** A duration as text: `500ms`, `2s`, `5m`, `1h`. Strings starting with `$` name a setting given at compile time. */
export type Duration = string;

/** One condition on a step's node. `reason` is what `explain` says when this is the condition that failed. */
export interface Check {
  field: string;
  op: string;
  value?: unknown;
  reason: string;
}

export interface PatternStep {
  name: string;
  kind: 'process' | 'connection';
  description: string;
  checks: readonly Check[];
  /** Gather every matching node instead of branching per node; the match needs at least `min`. */
  collect?: { min: number };
}

/**
 * How two steps' nodes relate: `spawned` (from started to), `owns` (process from owns connection to),
 * `near` (to within `horizon` of from, either way, same device). Every link can be walked both ways.
 */
export interface PatternLink {
  from: string;
  to: string;
  type: 'spawned' | 'owns' | 'near';
  horizon?: Duration;
}

export interface Pattern {
  id: string;
  name: string;
  description: string;
  severity: 'Informational' | 'Low' | 'Medium' | 'High';
  tactic: string;
  technique: string;
  steps: readonly PatternStep[];
  links: readonly PatternLink[];
  /** Where strict matching starts (the most selective step). */
  anchor: string;
  /** One alert per distinct node of this step. */
  groupBy: string;
  /** Steps explain may start from, to find chains whose anchor hop is missing. */
  explainAnchors: readonly string[];
  /** The chain's hops as groups of steps; a near miss shows at least two of them. */
  hops: ReadonlyArray<readonly string[]>;
}
