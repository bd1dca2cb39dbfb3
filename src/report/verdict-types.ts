// A report's verdict: the worst severity among its reasons, each reason one sentence.
export type Severity = 'warning' | 'unusable';
export type VerdictLevel = 'ok' | Severity;

export interface Reason {
  /** The rule that fired (a name in docs/report.md). */
  rule: string;
  severity: Severity;
  message: string;
}

export interface Verdict {
  level: VerdictLevel;
  reasons: Reason[];
}
