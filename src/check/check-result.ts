// `vmtel check` prints one line per thing it looked at: fine, or what is wrong and what to do.
// A note is fine with a caveat (pressure stall information missing, a module not checked).

export interface CheckResult {
  /** What was looked at: `config`, `run_dir`, or a collector's name. */
  subject: string;
  status: 'ok' | 'note' | 'FAIL';
  detail: string;
}

export const ok = (subject: string, detail: string): CheckResult => ({ subject, status: 'ok', detail });
export const note = (subject: string, detail: string): CheckResult => ({ subject, status: 'note', detail });
export const fail = (subject: string, detail: string): CheckResult => ({ subject, status: 'FAIL', detail });

/** The results as aligned lines: `ok    qmp          /run/vm1/qmp.sock: QEMU 8.2.0 greets`. */
export function formatResults(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.subject.length));
  return results.map((result) => `${result.status.padEnd(4)}  ${result.subject.padEnd(width)}  ${result.detail}\n`).join('');
}
