// The 1:1 engine's public surface (docs/architecture.md §3, §4). Pure: no I/O, no clock, no randomness.
export * from './model';
export { scan, decide } from './scan';
export { applyActions, applyToMeetings, canonicalLink, createdMeetingId, ApplyError, type ApplyOptions } from './apply';
export { analyze, analyzeInput, type Analysis, type Occurrence } from './analyze';
export { linkOf, linkTo, type LinkKey } from './meeting-link';
export { fromScanFile, fromScanMeeting, toScanMeeting } from './scan-file';
export { parseScenario, validateScenario, toScenario, ValidationError, type ParseResult } from './validate';
export { detectSplits, seriesOf, type SeriesSplit } from './series';
export { cadenceFromRule, inferCadence } from './cadence';
export { buildDirectory, type Directory } from './people';
export { reasonList } from './rules';
