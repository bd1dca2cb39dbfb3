// The alignment of the Python collector vmtel replaced (peers/guest_agent_collector.py, run by
// peers/run_reference.py in python3), under the same load generator as vmtel's alignment runs:
// the peer vmtel's alignment figures are ratios to.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDeadline } from '../../test/helpers/wait-for';
import { alignmentSummary, type AlignmentSummary } from './alignment-summary';
import { withBenchDir } from './bench-dir';
import { ensureCommand } from './ensure-command';
import { GeneratorProcess } from './generator-process';

// From dist/scripts/bench back to the source, which tsc does not copy.
const DRIVER = join(__dirname, '..', '..', '..', 'scripts', 'bench', 'peers', 'run_reference.py');

// The collector writes rows with Python's json.dumps (", " and ": " separators): the send stamp
// and the host stamp of each, and its seq to count the rows. Read as text: 19-digit integers
// would lose digits in JSON.parse.
const SEQ = /"seq": (\d+)/;
const SENT = /"t_guest_mono_ns": (\d+)/;
const STAMPED = /"t_mono_ns": (\d+)/;

export interface ReferenceRun extends AlignmentSummary {
  problems: string[];
}

/** Asks for python3 (apt-get when root), as the suite asks for socat. */
export function ensurePython(): void {
  ensureCommand('python3', ['--version'], 'python3-minimal');
}

/** One run of the reference at `ratePerSec` for `seconds`. */
export async function runReferenceAlignment(ratePerSec: number, seconds: number, rowBytes: number): Promise<ReferenceRun> {
  return withBenchDir(async (dir) => {
    const socketPath = join(dir, 'agent.sock');
    const output = join(dir, 'telemetry-guest.jsonl');
    const rows = Math.round(ratePerSec * seconds);
    const generator = await GeneratorProcess.start({ socketPath, rows, rowBytes, ratePerSec, close: true });
    const reference = spawn('python3', [DRIVER, socketPath, output], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    reference.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const exited = once(reference, 'exit');
      await generator.message('client', 10_000);
      await generator.run((seconds + 30) * 1000);
      const [code] = (await withDeadline('the reference collector to exit', exited, 10_000)) as [number | null];
      if (code !== 0) throw new Error(`the reference collector exited with ${code}: ${stderr.trim()}`);
      return readReferenceRows(output, rows, ratePerSec);
    } finally {
      reference.kill('SIGKILL');
      await generator.close();
    }
  });
}

/** The alignment of every row in the reference's output, and what is missing or repeated. */
export function readReferenceRows(path: string, expectedRows: number, ratePerSec: number): ReferenceRun {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.length > 0);
  const alignmentNs = new Float64Array(lines.length);
  const seen = new Set<number>();
  let damaged = 0;
  lines.forEach((line, i) => {
    const [seq, sent, stamped] = [SEQ.exec(line)?.[1], SENT.exec(line)?.[1], STAMPED.exec(line)?.[1]];
    if (seq === undefined || sent === undefined || stamped === undefined) return void damaged++;
    seen.add(Number(seq));
    alignmentNs[i] = Number(BigInt(stamped) - BigInt(sent));
  });
  const problems: string[] = [];
  if (damaged > 0) problems.push(`${damaged} reference lines without seq and stamps`);
  if (seen.size !== expectedRows || lines.length !== expectedRows) problems.push(`reference wrote ${lines.length} lines, ${seen.size} distinct rows, of ${expectedRows}`);
  return { ...alignmentSummary(alignmentNs, ratePerSec), problems };
}
