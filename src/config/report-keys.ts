// `report:`, the thresholds `vmtel report` judges an episode by. They live in the VM's YAML so a
// study sets its own standard once; the resolved values are recorded in episode.json, so a run
// dir carries the standard it was recorded under and `vmtel report` needs nothing but the run dir.
import type { IntegerSpec, NumberSpec } from './option-spec';

const fraction = (defaultValue: number, doc: string): NumberSpec => ({ type: 'number', default: defaultValue, min: 0, max: 1, doc });

export const REPORT_SCHEMA = {
  // Five seconds: longer than a guest agent's usual hiccup (a busy guest, a GC pause), short
  // enough that a study sampling at 1 Hz notices the loss.
  max_gap_s: { type: 'number', default: 5, min: 0, exclusiveMin: true, unit: 'seconds', doc: 'a gap (not a VM pause) longer than this is a warning' },
  // Ninety percent of the episode covered: below it the episode misses a tenth of its time.
  min_coverage: fraction(0.9, "below this fraction of the episode's time covered by a source's rows: warning"),
  // Under half the episode covered, the source cannot stand for the episode.
  unusable_coverage: fraction(0.5, 'below this fraction of time covered: unusable'),
  // A sampler that delivers under 95 % of its ticks outside its gaps is starved (the host is overloaded).
  min_rows_fraction: fraction(0.95, 'below this fraction of the expected rows (outside gaps): warning'),
  // One line in a hundred dropped is more than malformed noise from a guest.
  max_dropped_fraction: fraction(0.01, 'above this fraction of input lines dropped: warning'),
  max_seq_missing: { type: 'integer', default: 0, min: 0, doc: 'more guest rows missing from the seq numbering than this: warning' } satisfies IntegerSpec,
  // A guest clock off by more than 100 ppm (8.6 s a day) is broken or deliberately skewed.
  max_drift_ppm: { type: 'number', default: 100, min: 0, exclusiveMin: true, unit: 'ppm', doc: 'guest clock drift beyond this: warning' },
  // 100 ms of delivery delay at the 99th percentile blurs any event-level alignment with the host.
  max_residual_p99_ms: {
    type: 'number',
    default: 100,
    min: 0,
    exclusiveMin: true,
    unit: 'milliseconds',
    doc: "guest rows' delivery delay over the least-delayed row of their window, 99th percentile, beyond this: warning",
  },
  // 20 ms: well above the jitter of the least-delayed row of a window, well below any real jump.
  clock_step_ms: { type: 'number', default: 20, min: 0, exclusiveMin: true, unit: 'milliseconds', doc: 'a jump of the guest clock offset larger than this is a step' },
  // One second: at 1 row/s or more every window has a row, and the least-delayed of many is near the true offset.
  drift_window_s: { type: 'number', default: 1, min: 0, exclusiveMin: true, unit: 'seconds', doc: 'window whose least-delayed guest row enters the drift fit' },
} as const satisfies Record<string, NumberSpec | IntegerSpec>;
