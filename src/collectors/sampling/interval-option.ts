// Every periodic collector takes the same `interval_ms` option, declared once so the bound, the
// unit and the wording cannot drift apart between collectors.
import type { IntegerSpec } from '../../config/option-spec';

// Below 10 ms a timer's jitter and the cost of one sample (a few file reads, a QMP round trip)
// are a large part of the interval; nothing vmtel samples changes meaningfully faster.
export const MIN_INTERVAL_MS = 10;

/** The `interval_ms` option with this collector's default. */
export function intervalOption(defaultMs: number): IntegerSpec {
  return {
    type: 'integer',
    default: defaultMs,
    min: MIN_INTERVAL_MS,
    unit: 'milliseconds',
    doc: 'time between samples; samples sit on a grid anchored at the episode origin',
  };
}
