// One episode from start to stop: take the run dir, decide the timeline, start a supervised
// worker per enabled collector, and stop them all on the first of: a signal, --duration, a
// collector ending the episode (the VM shut down), or every collector having finished. Whatever
// the stop, every file is flushed and whole and the manifest is written last.
import { join } from 'node:path';
import type { EpisodeConfig } from '../config/episode-config';
import { runDirErrorOf } from '../config/run-dir-check';
import type { Logger } from '../log/logger';
import { EpisodeControl } from '../live/episode-control';
import { drainShipper, episodeShipper } from '../fleet/episode-shipper';
import { EVENTS_FILE } from '../run-dir-files';
import { countsWithFile, emptyCounts } from './collector-counts';
import { CollectorSupervisor, countFields } from './collector-supervisor';
import { openManifest, startEpisode, type EpisodeStart } from './episode-start';
import { EventLog } from './event-log';
import { refuseFinishedEpisode } from './finished-episode';
import { isoOf, readManifest, type Manifest } from './manifest';
import { ManifestKeeper } from './manifest-keeper';
import { MANIFEST_INTERVAL_MS } from './manifest-interval';
import { claimEpisodeFiles, takeRunDir } from './open-run-dir';
import { recordStart } from './start-events';
import { watchHeartbeats } from './watch-heartbeats';
import { stopWithinGrace } from './stop-within-grace';
import { RUN_DIR_LOST } from './write-fault-events';
import { recordWallAnchors } from './wall-anchor-events';

export interface EpisodeOptions {
  logger: Logger;
  /** Stop after this many seconds; undefined runs until a signal or the VM ends the episode. */
  durationS?: number;
  /** Whether SIGINT/SIGTERM stop the episode (true for the CLI; tests may drive stop themselves). */
  handleSignals: boolean;
  /**
   * Called once, when every collector has started or START_SETTLE_MS after their workers were
   * started, whichever is first: the start is over, and work put off until then can run.
   */
  onStarted?: () => void;
  /** Record more of an episode whose run dir says it ended (`--continue`); refused otherwise. */
  continueFinished?: boolean;
  /**
   * Called once the run dir is this episode's (checked, locked, the same vm and episode): until
   * then nothing may be written into it, a log line included, since it may be another episode's.
   */
  onRunDirTaken?: () => void;
}

// A collector that fails as it starts is restarted and may never say it started; the start is
// taken to be over after this long regardless.
const START_SETTLE_MS = 2000;

export interface EpisodeSummary {
  reason: string;
  durationS: number;
  collectors: Manifest['collectors'];
}

/** Runs the episode to its end; rejects only when it cannot start (the run dir is taken, say). */
export async function runEpisode(config: EpisodeConfig, options: EpisodeOptions): Promise<EpisodeSummary> {
  const { logger } = options;
  const lock = takeRunDir(config);
  let start: EpisodeStart;
  let events: EventLog;
  try {
    refuseFinishedEpisode(sameEpisode(readManifest(config.runDir), config), config.runDir, options.continueFinished === true);
    start = startEpisode(config);
    claimEpisodeFiles(config);
    events = new EventLog(join(config.runDir, EVENTS_FILE), start.control, config.fileMode, {
      log: (level, message, fields) => logger.log(level, message, fields),
      // Later: a fault can come while this setup runs, before the stop machinery below exists.
      endEpisode: (reason) => queueMicrotask(() => requestStop(reason)),
    });
  } catch (err) {
    lock.release();
    throw runDirErrorOf(err, config.runDir, 'cannot start in');
  }
  options.onRunDirTaken?.();
  const { control, previous } = start;
  const startedMonoNs = control.monoNs();
  const startedWallNs = control.wallNsAt(startedMonoNs);

  const manifest = openManifest(config, start, startedWallNs);
  const supervisors: CollectorSupervisor[] = [];
  let stopReason: string | null = null;
  let resolveStopRequested: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (resolveStopRequested = resolve));
  const hurried = new AbortController();
  function requestStop(reason: string, fields: Record<string, unknown> = {}): void {
    if (stopReason !== null) return;
    stopReason = reason;
    events.record('orchestrator', 'stop_requested', { reason, ...fields });
    logger.info(`stopping: ${reason}`);
    control.requestStop();
    resolveStopRequested();
  }
  const manifestKeeper = new ManifestKeeper(config.runDir, config.fileMode, events, logger, (code) => requestStop(RUN_DIR_LOST, { code }));
  // Served before any worker starts (see ControlServer.open) and before anything says the
  // episode started, so a run dir whose socket path is taken is refused as cleanly as a busy one.
  let episodeControl: EpisodeControl;
  try {
    episodeControl = await EpisodeControl.open({
      config,
      control,
      events,
      logger,
      supervisors,
      requestStop,
      earlier: previous === null ? null : { counts: previous.control },
    });
  } catch (err) {
    events.close();
    lock.release();
    throw err;
  }

  recordStart(events, logger, config, start, manifest.orchestrator_restarts);
  const stopWallAnchors = recordWallAnchors(events, start.wallAnchor);
  const shipper = episodeShipper(config, events, logger);

  const shared = new Map<string, unknown>();
  const notYetStarted = new Set(config.collectors.filter((c) => c.enabled).map((c) => c.name));
  let startSettleTimer: NodeJS.Timeout | undefined;
  let onStarted = options.onStarted;
  const startSettled = (): void => {
    clearTimeout(startSettleTimer);
    const call = onStarted;
    onStarted = undefined;
    call?.();
    // The shipper's thread boots once the collectors' have: it must not slow their start.
    if (shipper !== null && !shipper.started) shipper.start();
  };
  const hooks = {
    control,
    events,
    logger,
    shared,
    publish(from: string, topic: string, value: unknown) {
      shared.set(topic, value);
      for (const supervisor of supervisors) {
        if (supervisor.config.name !== from) supervisor.send({ type: 'shared', topic, value });
      }
    },
    started(supervisor: CollectorSupervisor) {
      if (notYetStarted.delete(supervisor.config.name) && notYetStarted.size === 0) startSettled();
    },
    endEpisode(from: string, reason: string) {
      requestStop(reason, { requested_by: from });
    },
    settled() {
      if (supervisors.every((s) => s.status !== 'running' && s.status !== 'restart_pending')) {
        requestStop('all_collectors_finished');
      }
    },
  };

  const refreshCollectors = (): void => {
    for (const { name, ...entry } of config.collectors) {
      const supervisor = supervisors.find((s) => s.config.name === name);
      const counts = supervisor?.counts() ?? previous?.collectors[name] ?? emptyCounts();
      // The resolved entry itself, then how it fared.
      manifest.collectors[name] = {
        ...entry,
        status: supervisor?.status ?? 'disabled',
        restarts: supervisor?.restarts ?? 0,
        last_reason: supervisor?.lastReason ?? null,
        rows: counts.rows,
        bytes: counts.bytes,
        dropped: counts.dropped,
        stats: counts.stats,
      };
    }
    manifest.control = episodeControl.manifestSection();
  };

  config.collectors.forEach((collector, heartbeatSlot) => {
    if (!collector.enabled) return;
    const earlier = previous?.collectors[collector.name];
    // The manifest an earlier process left may be seconds older than its last write.
    const counts = earlier === undefined ? emptyCounts() : countsWithFile(earlier, collector.output);
    supervisors.push(new CollectorSupervisor(collector, config, hooks, { counts, restarts: earlier?.restarts ?? 0 }, heartbeatSlot));
  });
  // The manifest, and with it the timeline's origin, is in the file before any worker can write a
  // row stamped against that origin, so a crash of vmtel never leaves rows on a lost timeline.
  // Without an fsync: on the start path it waited on the disk (up to 100 ms here, and it held up
  // the workers' first file creations in a new run dir). A crash of the host loses what is not on
  // disk, rows included (they are not fsynced either); the next rewrite, 5 s on, is durable.
  refreshCollectors();
  manifestKeeper.write(manifest, false);
  // Workers boot in threads of their own while this thread finishes its setup; none of their
  // messages is handled before the setup below, which is synchronous, is done.
  for (const supervisor of supervisors) supervisor.start();
  startSettleTimer = setTimeout(startSettled, START_SETTLE_MS).unref();
  logger.info(`episode ${config.episode} of vm ${config.vm} recording into ${config.runDir}`);

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopReason === null) {
      requestStop('signal', { signal });
    } else {
      events.record('orchestrator', 'stop_hurried', { signal });
      logger.warn(`second ${signal}: finishing fast`);
      hurried.abort();
    }
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const manifestTimer = setInterval(() => {
    refreshCollectors();
    manifestKeeper.write(manifest);
  }, MANIFEST_INTERVAL_MS);
  const heartbeatWatch = watchHeartbeats(supervisors, config.unresponsiveAfterMs, control);
  const durationTimer =
    options.durationS === undefined ? null : setTimeout(() => requestStop('duration', { duration_s: options.durationS }), options.durationS * 1000);

  await stopRequested;
  clearInterval(heartbeatWatch);
  clearTimeout(startSettleTimer);
  if (durationTimer !== null) clearTimeout(durationTimer);

  await stopWithinGrace(supervisors, config.stopGraceMs, hurried.signal);
  clearInterval(manifestTimer);
  // Markers keep arriving while the workers stop; they belong to the episode.
  await episodeControl.close();
  stopWallAnchors();
  if (options.handleSignals) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const stoppedMonoNs = control.monoNs();
  const durationS = Number(stoppedMonoNs - startedMonoNs) / 1e9;
  refreshCollectors();
  Object.assign(manifest, {
    status: 'stopped',
    stopped_wall_ns: control.wallNsAt(stoppedMonoNs),
    stopped_at: isoOf(control.wallNsAt(stoppedMonoNs)),
    stop_reason: stopReason,
    duration_s: durationS,
  });
  events.record('orchestrator', 'episode_stopped', {
    reason: stopReason,
    duration_s: durationS,
    collectors: Object.fromEntries(supervisors.map((s) => [s.config.name, { status: s.status, ...countFields(s.counts()) }])),
  });
  manifestKeeper.write(manifest);
  events.close();
  if (shipper !== null) await drainShipper(shipper, config, manifest, () => manifestKeeper.write(manifest));
  lock.release();
  return {
    reason: stopReason ?? 'unknown',
    durationS,
    collectors: manifest.collectors,
  };
}

// A manifest of another vm or episode is startEpisode's to refuse, with its own code.
function sameEpisode(previous: Manifest | null, config: EpisodeConfig): Manifest | null {
  return previous !== null && previous.vm === config.vm && previous.episode === config.episode ? previous : null;
}
