// The shipper of a `vmtel run` with `ship:`: the orchestrator's only way in to src/fleet/, so
// its own changes stay a few lines. Without `ship:` nothing here runs and no NATS code loads.
import type { EpisodeConfig } from '../config/episode-config';
import type { Logger } from '../log/logger';
import type { EventLog } from '../orchestrator/event-log';
import type { Manifest } from '../orchestrator/manifest';
import { shipSetupOf, unshippedBytes } from './ship-files';
import { ShipperSupervisor } from './shipper-supervisor';

/** The episode's shipper, not started yet; null without `ship:`. */
export function episodeShipper(config: EpisodeConfig, events: EventLog, logger: Logger): ShipperSupervisor | null {
  if (config.ship === undefined) return null;
  const outputPaths = config.collectors.filter((c) => c.enabled).map((c) => c.outputPath);
  const { setup, skipped } = shipSetupOf(config.runDir, { runDir: config.runDir, vm: config.vm, episode: config.episode, outputPaths }, config.ship);
  for (const output of skipped) logger.warn(`not shipped: ${output} is not directly in the run dir`, { source: 'ship' });
  return new ShipperSupervisor(setup, events, logger, () => unshippedBytes(setup));
}

/** At the stop, once events.jsonl is closed: drain, record the outcome in the manifest, ship it. */
export async function drainShipper(shipper: ShipperSupervisor, config: EpisodeConfig, manifest: Manifest, write: () => void): Promise<void> {
  await shipper.stop((config.ship?.drainTimeoutS ?? 0) * 1000, (record) => {
    manifest.ship = record;
    write();
  });
}
