// The control socket of one episode: what each request does to it. `mark` records a marker
// event stamped when its bytes arrived, `status` answers from the live counts, `stop` stops the
// episode as a signal would, with the caller's reason.
import { join } from 'node:path';
import type { EpisodeConfig } from '../config/episode-config';
import type { ControlBlock } from '../control/control-block';
import type { Logger } from '../log/logger';
import type { CollectorSupervisor } from '../orchestrator/collector-supervisor';
import type { EventLog } from '../orchestrator/event-log';
import { CONTROL_SOCKET_FILE, EVENTS_FILE } from '../run-dir-files';
import type { ControlRequest } from './control-protocol';
import { ControlServer, type ControlCounts } from './control-server';
import { MarkerBook } from './marker-book';
import { RateWindow } from './rate-window';
import type { PacedCounts } from '../log/paced-counts';
import type { RejectionReason } from './control-protocol';
import { rejectionReport } from './rejection-report';
import { statusSnapshot } from './status-snapshot';

// Rates are taken against samples this far apart (five of them make the 5 s window), and drops
// by reason are refreshed this often.
const RATE_SAMPLE_MS = 1000;

export interface EpisodeControlSetup {
  config: EpisodeConfig;
  control: ControlBlock;
  events: EventLog;
  logger: Logger;
  supervisors: readonly CollectorSupervisor[];
  requestStop(reason: string, fields: Record<string, unknown>): void;
  /** The counts and markers of earlier processes of this episode (a restart, --continue). */
  earlier: { counts: ControlCounts | null } | null;
}

export class EpisodeControl {
  private constructor(
    private readonly server: ControlServer,
    private readonly markers: MarkerBook,
    private readonly rejections: PacedCounts<RejectionReason>,
    private readonly rateTimer: NodeJS.Timeout,
  ) {}

  /** Serves RUN_DIR/control.sock; call before any worker starts (see ControlServer.open). */
  static async open(setup: EpisodeControlSetup): Promise<EpisodeControl> {
    const { config, control, events, supervisors } = setup;
    const markers = new MarkerBook();
    if (setup.earlier !== null) markers.readEarlier(join(config.runDir, EVENTS_FILE));
    const rejections = rejectionReport(events, setup.logger);
    // The supervisors are created after the socket opens: a collector's window starts at the
    // first sample that sees it.
    const rates = new Map<string, RateWindow>();
    const sampleRates = (): void => {
      const nowNs = control.monoNs();
      for (const supervisor of supervisors) {
        const name = supervisor.config.name;
        if (!rates.has(name)) rates.set(name, new RateWindow());
        rates.get(name)?.add(nowNs, supervisor.live.rows);
        // Drops by reason reach this thread with the worker's counts, every 5 s on their own: a
        // worker whose live drop total moved past them is asked for its counts now. Nothing is
        // asked of a worker that drops nothing.
        const reportedDrops = Object.values(supervisor.counts().dropped).reduce((sum, n) => sum + n, 0);
        if (supervisor.status === 'running' && supervisor.live.droppedTotal !== reportedDrops) supervisor.send({ type: 'report_counts' });
      }
    };
    sampleRates();
    const rateTimer = setInterval(sampleRates, RATE_SAMPLE_MS).unref();
    let server: ControlServer | undefined;
    const handle = (request: ControlRequest, arrivedMonoNs: bigint): Record<string, unknown> => {
      switch (request.op) {
        case 'mark': {
          const clientTMonoNs = request.clientMonotonicNs === null ? null : request.clientMonotonicNs - control.originNs;
          markers.add({ name: request.name, phase: request.phase, labels: request.labels, tMonoNs: arrivedMonoNs });
          events.record('control', 'marker', { name: request.name, phase: request.phase, labels: request.labels, client_t_mono_ns: clientTMonoNs }, arrivedMonoNs);
          return { t_mono_ns: arrivedMonoNs, t_wall_ns: control.wallNsAt(arrivedMonoNs), client_t_mono_ns: clientTMonoNs };
        }
        case 'status':
          sampleRates();
          return {
            status: statusSnapshot({ config, control, supervisors, rates, markers, controlCounts: server!.counts, clients: server!.clients }),
          };
        case 'stop': {
          const alreadyStopping = control.isStopping();
          setup.requestStop(request.reason, { requested_by: 'control' });
          return { already_stopping: alreadyStopping };
        }
        default:
          throw new Error(`unknown control request ${JSON.stringify(request satisfies never)}`);
      }
    };
    server = await ControlServer.open(
      join(config.runDir, CONTROL_SOCKET_FILE),
      {
        handle,
        rejected: (reason) => rejections.add(reason),
        monoNs: () => control.monoNs(),
        failed: (err) => {
          events.record('control', 'control_socket_failed', { message: err.message });
          setup.logger.warn(`control socket: ${err.message}`, { source: 'control' });
        },
      },
      setup.earlier?.counts ?? null,
    ).catch((err: unknown) => {
      clearInterval(rateTimer);
      throw err;
    });
    return new EpisodeControl(server, markers, rejections, rateTimer);
  }

  /** The manifest's `control` section: requests, rejected inputs by reason, markers. */
  manifestSection(): ControlCounts & { markers: number } {
    return { ...this.server.counts, markers: this.markers.count };
  }

  /** Stops serving and removes the socket; pending rejections are reported. */
  async close(): Promise<void> {
    clearInterval(this.rateTimer);
    await this.server.close();
    this.rejections.flush();
  }
}
