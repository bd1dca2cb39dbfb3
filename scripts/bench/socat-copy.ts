// The bar for throughput: the same stream copied to a file by socat, with no parsing at all
// (`socat -u UNIX-CONNECT:agent.sock CREATE:out`). The runner installs socat when it is missing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { withDeadline } from '../../test/helpers/wait-for';
import { withBenchDir } from './bench-dir';
import { GeneratorProcess } from './generator-process';
import type { FloodRun } from './flood-run';

/** Copies `rows` flat-out rows of `rowBytes` with socat; the run ends when socat exits at EOF. */
export async function runSocatCopy(rows: number, rowBytes: number): Promise<FloodRun> {
  return withBenchDir(async (dir) => {
    const socketPath = join(dir, 'agent.sock');
    const outPath = join(dir, 'out');
    const generator = await GeneratorProcess.start({ socketPath, rows, rowBytes, close: true });
    try {
      const socat = spawn('socat', ['-u', `UNIX-CONNECT:${socketPath}`, `CREATE:${outPath}`], { stdio: 'ignore' });
      const exited = once(socat, 'exit').then(() => process.hrtime.bigint());
      await generator.message('client', 10_000);
      const done = await generator.run(60_000);
      const endNs = await withDeadline('socat to exit', exited, 60_000);
      const seconds = Number(endNs - BigInt(done.first_send_ns ?? 0)) / 1e9;
      const onDisk = statSync(outPath).size;
      const problems = onDisk === done.bytes && done.rows === rows ? [] : [`${onDisk} bytes on disk of ${done.bytes} sent, ${done.rows} rows`];
      return { rows: done.rows, seconds, rowsPerSec: done.rows / seconds, problems };
    } finally {
      await generator.close();
    }
  });
}
