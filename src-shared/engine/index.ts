// The 1:1 engine's public surface (docs/architecture.md §3, §4). Pure: no I/O, no clock, no randomness.
export * from './model';
export { scan, decide } from './scan';
export { applyActions, canonicalLink, createdMeetingId, ApplyError } from './apply';
export { analyze, type Analysis, type Occurrence } from './analyze';
export { parseScenario, validateScenario, toScenario, ValidationError, type ParseResult } from './validate';
export { detectSplits, seriesOf, type SeriesSplit } from './series';
export { cadenceFromRule, inferCadence } from './cadence';
export { buildDirectory, type Directory } from './people';
export { reasonList } from './rules';
