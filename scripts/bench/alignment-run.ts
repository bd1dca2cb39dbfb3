// Alignment error: a row's host stamp (vmtel's read of the bytes that completed it) minus its
// send stamp (the generator's CLOCK_MONOTONIC just before its write), at a steady rate.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { withDeadline } from '../../test/helpers/wait-for';
import { withBenchDir } from './bench-dir';
import { GeneratorProcess } from './generator-process';
import { alignmentSummary, type AlignmentSummary } from './alignment-summary';
import { rowProblems } from './verify-rows';
import { runGuestEpisode } from './guest-episode';

export interface AlignmentRun extends AlignmentSummary {
  /** Rows stamped before they were sent: must be 0, the clocks are one. */
  negative: number;
  /** vmtel's CPU at this rate, percent of one core, from "go" to exit. */
  cpuPct: number;
  problems: string[];
}

export async function runAlignment(ratePerSec: number, seconds: number, rowBytes: number): Promise<AlignmentRun> {
  const rows = Math.round(ratePerSec * seconds);
  const run = await runGuestEpisode({ rows, rowBytes, ratePerSec }, (seconds + 30) * 1000);
  const summary = alignmentSummary(run.check.alignmentNs, ratePerSec);
  const sorted = run.check.alignmentNs.slice().sort();
  const negative = sorted.findIndex((ns) => ns >= 0);
  const problems = rowProblems(run.check, rows);
  if (negative !== 0) problems.push(`${negative < 0 ? sorted.length : negative} rows stamped before they were sent`);
  const spanS = Number(run.exit.exitNs - BigInt(run.sent.first_send_ns ?? 0)) / 1e9;
  return {
    ...summary,
    rows: run.check.rows,
    negative: negative < 0 ? sorted.length : negative,
    cpuPct: (run.cpuAfterGoMs / 10) / spanS,
    problems,
  };
}

export type RawAlignment = Pick<AlignmentRun, 'rows' | 'p50Us' | 'p99Us' | 'maxUs'>;

// raw-reader.js under this Node: the floor for a reader on Node's event loop.
const NODE_RAW_READER = [process.execPath, join(__dirname, 'raw-reader.js')];

/**
 * The same load read by a raw reader, the machine's floor for alignment: raw-reader.js by default,
 * or `reader` (a program and its arguments, before the socket path: the C raw reader).
 */
export async function runRawAlignment(ratePerSec: number, seconds: number, rowBytes: number, reader = NODE_RAW_READER): Promise<RawAlignment> {
  return withBenchDir(async (dir) => {
    const socketPath = join(dir, 'agent.sock');
    const generator = await GeneratorProcess.start({ socketPath, rows: Math.round(ratePerSec * seconds), rowBytes, ratePerSec, close: true });
    const [program = '', ...args] = reader;
    const readerProcess = spawn(program, [...args, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      readerProcess.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(readerProcess, 'exit');
      await generator.message('client', 10_000);
      await generator.run((seconds + 30) * 1000);
      await withDeadline('raw-reader to exit', exited, 10_000);
      return JSON.parse(output) as RawAlignment;
    } finally {
      readerProcess.kill();
      await generator.close();
    }
  });
}
