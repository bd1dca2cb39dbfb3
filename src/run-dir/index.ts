// The one reader of a run dir: summary, report, export and the fleet read episodes through these
// functions, so the on-disk formats are interpreted in one place.
export { openRunDir, type RunDir, type RunSource } from './open-run-dir';
export { liveHolder } from './live-holder';
export { forEachEvent, type EventsRead, type RunEvent } from './run-events';
export { scanRows, type RowsRead } from './scan-rows';
export { FieldState, TopLevelFields } from './top-level-fields';
export { forEachLine, type LineTotals, type OnLine } from './line-chunks';
