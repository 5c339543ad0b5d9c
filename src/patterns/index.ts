// Public face of the pattern layer: the pattern language, its validation and compilation, the generic matcher and
// the library of patterns.
export type { Pattern, PatternStep, PatternLink, Check, Duration } from './types';
export { validatePattern } from './validate-pattern';
export { compilePattern, type CompiledPattern, type PatternSettings } from './compile-pattern';
export { matchPattern, type PatternMatch, type MatchFailure, type MatchOptions } from './match-pattern';
export { OPERATORS, type GapWindow, type Operator, type OperatorEnv } from './operators';
export { durationTicks } from './durations';
export { DCOM_LATERAL_MOVEMENT, DCOM_DEFAULT_SETTINGS } from './library';
