// The `onFailure` of connectWithRetry that a collector waiting for QEMU's socket passes: every
// attempt at debug level, and at the WaitReport's pace a line saying what is wrong and what to do.
import type { CollectorLog } from '../contract';
import { WaitReport } from '../waiting/wait-report';
import { diagnoseSocket } from './socket-diagnosis';

/** A fresh wait for the socket `path` (`what`, e.g. "the QMP socket"), created by QEMU's `qemuOption`. */
export function socketWait(log: CollectorLog, what: string, path: string, qemuOption: string): (attempt: number, error: string) => void {
  const report = new WaitReport(log, what);
  return (attempt, error) => {
    log.debug(`${what}: connect attempt ${attempt} failed: ${error}`);
    report.failed(diagnoseSocket(path, error, qemuOption));
  };
}
