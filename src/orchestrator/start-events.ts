// What an analyst must learn from events.jsonl alone about how this process started: the
// episode's identity, and whether it continues an earlier process (a crash, a pm2 restart), on
// a new timeline segment (the host rebooted) or after repairing a torn line.
import type { EpisodeConfig } from '../config/episode-config';
import type { Logger } from '../log/logger';
import { VMTEL_VERSION } from '../version';
import type { EpisodeStart } from './episode-start';
import type { EventLog } from './event-log';

/** Records the start events; `orchestratorRestarts` counts the earlier starts of this episode. */
export function recordStart(events: EventLog, logger: Logger, config: EpisodeConfig, start: EpisodeStart, orchestratorRestarts: number): void {
  events.record('orchestrator', 'episode_started', {
    vm: config.vm,
    episode: config.episode,
    labels: config.labels,
    t_mono_origin_ns: start.control.originNs,
    boot_id: start.bootId,
    segment: start.segment,
    config_path: config.configPath,
    config_digest: config.digest,
    pid: process.pid,
    versions: { vmtel: VMTEL_VERSION, node: process.version, v8: process.versions.v8 },
    collectors: config.collectors.filter((c) => c.enabled).map((c) => c.name),
  });
  if (start.previous !== null) {
    events.record('orchestrator', 'orchestrator_restarted', {
      count: orchestratorRestarts,
      previous_pid: start.previous.starts.at(-1)?.pid ?? null,
      previous_status: start.previous.status,
    });
    logger.warn(`continuing episode after an orchestrator restart (restart ${orchestratorRestarts})`);
  }
  if (start.newSegmentReason !== null) {
    events.record('orchestrator', 'timeline_segment_started', { segment: start.segment, reason: start.newSegmentReason });
    logger.warn(`new timeline segment ${start.segment}: ${start.newSegmentReason}`);
  }
  for (const tail of start.repaired) {
    events.record('orchestrator', 'torn_line_repaired', { file: tail.path, torn_bytes: tail.tornBytes, torn_path: tail.tornPath });
    logger.warn(`repaired a torn last line in ${tail.path} (${tail.tornBytes} bytes moved to ${tail.tornPath})`);
  }
}
