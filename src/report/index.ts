// What other parts of vmtel (export, the fleet) use of the report: the figures and verdict of an
// episode, typed; the HTML and the CLI stay behind `vmtel report`.
export { episodeReport } from './episode-report';
export type { ClockStep, EpisodeReport, Gap, GuestClockFigures, Marker, SeqFigures, SourceFigures, TimeSpan } from './report-types';
export { RULES } from './verdict-rules';
export { verdictLine } from './verdict-line';
export type { Reason, Severity, Verdict, VerdictLevel } from './verdict-types';
