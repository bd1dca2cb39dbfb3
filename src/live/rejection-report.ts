// Every rejected control input is counted, but a client hammering the socket with garbage must
// not become a flood of log lines and events: a `control_input_rejected` event and a warning
// with the counts by reason, the first at once, then at most every REPORT_INTERVAL_MS.
import type { Logger } from '../log/logger';
import { PacedCounts } from '../log/paced-counts';
import type { EventLog } from '../orchestrator/event-log';
import type { RejectionReason } from './control-protocol';

// Often enough to place a burst of bad requests on the timeline, rare enough to cost nothing.
const REPORT_INTERVAL_MS = 5000;

/** A PacedCounts of rejection reasons that reports into events.jsonl and the log. */
export function rejectionReport(events: EventLog, logger: Logger): PacedCounts<RejectionReason> {
  return new PacedCounts((rejected) => {
    events.record('control', 'control_input_rejected', { rejected });
    logger.warn('control socket: rejected client input (counts since the last report)', { source: 'control', rejected });
  }, REPORT_INTERVAL_MS);
}
