// The run dir's lock, taken by real processes: of several that start at the same instant exactly
// one holds it, and a holder that has died is taken over. The lock file holds a pid whenever it
// exists, so no one ever reads an empty lock as abandoned.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunDirLock } from '../../src/orchestrator/run-dir-lock';
import { tempDir } from '../helpers/temp-dir';
import { withDeadline } from '../helpers/wait-for';

const LOCK_MODULE = join(__dirname, '..', '..', 'src', 'orchestrator', 'run-dir-lock.js');
const RACERS = 4;
const ROUNDS = 3;
// Far enough ahead that every racer has loaded its code and spins when the instant comes.
const START_AHEAD_NS = 1_500_000_000n;

// A racer spins until the start instant (a sleep would wake each at a different moment), tries
// the lock, says what it got, and holds it until its stdin closes.
const RACER = `
const { RunDirLock } = require(process.argv[1]);
const startNs = BigInt(process.argv[3]);
while (process.hrtime.bigint() < startNs);
let said;
try { RunDirLock.acquire(process.argv[2]); said = 'took'; } catch (err) { said = err.code ?? String(err); }
process.stdout.write(said);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

async function race(runDir: string): Promise<Array<{ pid: number; said: string }>> {
  const startNs = process.hrtime.bigint() + START_AHEAD_NS;
  const racers: ChildProcess[] = [];
  try {
    for (let i = 0; i < RACERS; i++) {
      racers.push(spawn(process.execPath, ['-e', RACER, LOCK_MODULE, runDir, String(startNs)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    }
    return await Promise.all(
      racers.map(async (racer) => {
        const [chunk] = (await withDeadline('a racer to say what it got', once(racer.stdout!, 'data'), 15_000)) as [Buffer];
        return { pid: racer.pid!, said: chunk.toString() };
      }),
    );
  } finally {
    for (const racer of racers) racer.stdin!.end();
    await withDeadline('the racers to exit', Promise.all(racers.filter((r) => r.exitCode === null).map((r) => once(r, 'exit'))), 10_000);
  }
}

test('of vmtel processes taking one run dir at the same instant, exactly one holds it', async (t) => {
  for (let round = 0; round < ROUNDS; round++) {
    const runDir = tempDir(t);
    const results = await race(runDir);
    const took = results.filter((r) => r.said === 'took');
    assert.equal(took.length, 1, `round ${round}: ${JSON.stringify(results)}`);
    assert.deepEqual(
      results.filter((r) => r.said !== 'took').map((r) => r.said),
      Array(RACERS - 1).fill('VMTEL_RUN_DIR_BUSY'),
    );
  }
});

test("a dead holder's lock is taken over and nothing else is left in the run dir", async (t) => {
  const runDir = tempDir(t);
  const gone = spawn(process.execPath, ['-e', '0']);
  await withDeadline('a short-lived process to exit', once(gone, 'exit'), 10_000);
  writeFileSync(join(runDir, 'vmtel.lock'), `${gone.pid}\n`);
  const lock = RunDirLock.acquire(runDir);
  assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), `${process.pid}\n`);
  assert.deepEqual(readdirSync(runDir), ['vmtel.lock']);
  lock.release();
  assert.deepEqual(readdirSync(runDir), []);
});
