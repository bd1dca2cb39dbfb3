// The thresholds a report judges by: the `report:` section recorded in the run dir's manifest
// (the config the episode ran with), each key missing there taken from its default, so a run
// dir recorded before the section existed is judged by today's defaults.
import { defaultOptions } from '../config/option-defaults';
import type { OptionsOf } from '../config/option-spec';
import { REPORT_SCHEMA } from '../config/report-keys';
import type { Manifest } from '../orchestrator/manifest';

export type Thresholds = OptionsOf<typeof REPORT_SCHEMA>;

export function thresholdsOf(manifest: Manifest): Thresholds {
  const recorded = manifest.config['report'];
  const defaults = defaultOptions(REPORT_SCHEMA, { runDir: '', configDir: '' }) as Record<string, number>;
  const merged: Record<string, number> = { ...defaults };
  if (typeof recorded === 'object' && recorded !== null) {
    for (const [key, value] of Object.entries(recorded)) if (key in defaults && typeof value === 'number') merged[key] = value;
  }
  return merged as unknown as Thresholds;
}
