// Throughput and CPU per row: rows sent flat out, timed from the generator's first write to the
// last row on disk (guest_agent's collector_stopped, which follows its final flush), the same
// span as socat's copy, which ends when socat exits at EOF having written every byte.
import { rowProblems } from './verify-rows';
import { runGuestEpisode, type Alongside } from './guest-episode';

export interface FloodRun {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  /** Correctness failures; empty when every row arrived once, byte-exact. */
  problems: string[];
  /** vmtel only: its CPU per row from "go" to exit, in µs. */
  cpuPerRowUs?: number;
  /** vmtel only: its whole CPU, start-up included, in ms. */
  cpuTotalMs?: number;
  /** vmtel only: from spawn to guest_agent's collector_started, in ms. */
  startLatencyMs?: number;
}

/** A flood of `rows` rows flat out; `alongside` runs beside it once vmtel is connected; `moreYaml` is added to vmtel's config. */
export async function runVmtelFlood(rows: number, rowBytes: number, { alongside, moreYaml = '' }: { alongside?: (runDir: string) => Alongside; moreYaml?: string } = {}): Promise<FloodRun> {
  const run = await runGuestEpisode({ rows, rowBytes, moreYaml }, 120_000, alongside);
  const seconds = Number(run.lastRowOnDiskNs - BigInt(run.sent.first_send_ns ?? 0)) / 1e9;
  const problems = [...rowProblems(run.check, rows), ...run.besideProblems];
  if (run.sent.rows !== rows) problems.push(`the generator sent ${run.sent.rows} rows of ${rows}`);
  return {
    rows: run.check.rows,
    seconds,
    rowsPerSec: run.check.rows / seconds,
    problems,
    cpuPerRowUs: (run.cpuAfterGoMs * 1000) / run.check.rows,
    cpuTotalMs: run.exit.cpuMs,
    startLatencyMs: run.startLatencyMs,
  };
}
