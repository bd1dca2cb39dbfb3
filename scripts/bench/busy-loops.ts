// What a lab host looks like while its VMs work: every core held by a process spinning flat out.
// The alignment benchmark runs vmtel and its peer under this load to see who keeps its stamps
// when the scheduler has no idle core to wake a reader on.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { withDeadline } from '../../test/helpers/wait-for';

// An empty loop in a process of its own (never a thread of the harness, whose CPU it would blur).
const SPIN = 'for (;;);';

/** Runs `body` while one busy loop per core spins; the loops are killed when it settles. */
export async function withBusyLoops<T>(body: () => Promise<T>): Promise<T> {
  const loops: ChildProcess[] = [];
  try {
    for (let i = 0; i < availableParallelism(); i++) loops.push(spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' }));
    await Promise.all(loops.map((loop) => withDeadline('a busy loop to start', once(loop, 'spawn'), 10_000)));
    return await body();
  } finally {
    await Promise.all(loops.map(async (loop) => {
      const exited = once(loop, 'exit');
      loop.kill('SIGKILL');
      await exited;
    }));
  }
}
