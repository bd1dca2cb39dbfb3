// The run dir's lock, taken by real processes: of several that start at the same instant exactly
// one holds it, and a holder that has died is taken over. The lock file holds a pid whenever it
// exists, so no one ever reads an empty lock as abandoned.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunDirLock } from '../../src/orchestrator/run-dir-lock';
import { tempDir } from '../helpers/temp-dir';
import { withDeadline } from '../helpers/wait-for';

const LOCK_MODULE = join(__dirname, '..', '..', 'src', 'orchestrator', 'run-dir-lock.js');
const ROUNDS = 3;
// A loaded host deschedules a spinning racer now and then: the fresh-dir rounds go on past
// ROUNDS, up to this many, until one has seen two tries of the lock overlap.
const MAX_ROUNDS = 20;
// At one instant to the microsecond, the scheme before this one had two holders in the first round.
const STALE_ROUNDS = 20;
// Sent once every racer has loaded its code: far enough ahead that each is spinning when it comes.
const START_AHEAD_NS = 30_000_000n;

// A racer loads the lock's code, says it is ready, spins until the start instant it is then sent
// (a sleep would wake each at a different moment), tries the lock, says what it got and when its
// try began and ended, and holds it until its stdin closes.
const RACER = `
const { RunDirLock } = require(process.argv[1]);
process.stdout.write('ready');
process.stdin.once('data', (chunk) => {
  const startNs = BigInt(chunk.toString().trim());
  while (process.hrtime.bigint() < startNs);
  const triedNs = process.hrtime.bigint();
  let said;
  try { RunDirLock.acquire(process.argv[2]); said = 'took'; } catch (err) { said = err.code ?? String(err); }
  const doneNs = process.hrtime.bigint();
  process.stdout.write(JSON.stringify({ said, triedNs: String(triedNs), doneNs: String(doneNs) }));
  process.stdin.on('end', () => process.exit(0));
});
`;

interface RacerResult {
  pid: number;
  said: string;
  triedNs: bigint;
  doneNs: bigint;
}

async function race(runDir: string, racerCount: number): Promise<RacerResult[]> {
  const racers: ChildProcess[] = [];
  try {
    for (let i = 0; i < racerCount; i++) {
      racers.push(spawn(process.execPath, ['-e', RACER, LOCK_MODULE, runDir], { stdio: ['pipe', 'pipe', 'inherit'] }));
    }
    const firstWord = (racer: ChildProcess) => withDeadline('a racer to say something', once(racer.stdout!, 'data'), 15_000) as Promise<[Buffer]>;
    await Promise.all(racers.map(firstWord));
    const startNs = process.hrtime.bigint() + START_AHEAD_NS;
    for (const racer of racers) racer.stdin!.write(`${startNs}\n`);
    return await Promise.all(
      racers.map(async (racer) => {
        const [chunk] = await firstWord(racer);
        const said = JSON.parse(chunk.toString()) as Record<'said' | 'triedNs' | 'doneNs', string>;
        return { pid: racer.pid!, said: said.said, triedNs: BigInt(said.triedNs), doneNs: BigInt(said.doneNs) };
      }),
    );
  } finally {
    for (const racer of racers) racer.stdin!.end();
    await withDeadline('the racers to exit', Promise.all(racers.filter((r) => r.exitCode === null).map((r) => once(r, 'exit'))), 10_000);
  }
}

// Two tries overlapped when one began before another ended: only then was it a race at all.
function overlapped(results: readonly RacerResult[]): boolean {
  return results.some((a) => results.some((b) => a !== b && a.triedNs <= b.triedNs && b.triedNs < a.doneNs));
}

function assertOneTook(results: readonly RacerResult[], what: string): number {
  const took = results.filter((r) => r.said === 'took');
  assert.equal(took.length, 1, `${what}: ${results.map((r) => `${r.pid} ${r.said}`).join(', ')}`);
  assert.deepEqual(
    results.filter((r) => r.said !== 'took').map((r) => r.said),
    Array(results.length - 1).fill('VMTEL_RUN_DIR_BUSY'),
    what,
  );
  return took[0]!.pid;
}

test('of vmtel processes taking one run dir at the same instant, exactly one holds it', async (t) => {
  let overlappingRounds = 0;
  for (let round = 0; round < MAX_ROUNDS && (round < ROUNDS || overlappingRounds === 0); round++) {
    const results = await race(tempDir(t), 4);
    if (overlapped(results)) overlappingRounds += 1;
    assertOneTook(results, `round ${round}`);
  }
  assert.ok(overlappingRounds > 0, `in ${MAX_ROUNDS} rounds no two tries of the lock overlapped: nothing was raced`);
});

// The take-over of a dead holder's lock is where two could both win: each reads the dead pid,
// and a replace (rename) cannot fail on an existing name.
for (const racerCount of [2, 4]) {
  test(`${racerCount} processes taking over a dead holder's lock at the same instant, ${STALE_ROUNDS} times: exactly one holds it`, { timeout: 600_000 }, async (t) => {
    const dir = tempDir(t);
    let overlappingRounds = 0;
    for (let round = 0; round < STALE_ROUNDS; round++) {
      const runDir = join(dir, `run${round}`);
      mkdirSync(runDir);
      const gone = spawn('true');
      await withDeadline('a short-lived process to exit', once(gone, 'exit'), 10_000);
      writeFileSync(join(runDir, 'vmtel.lock'), `${gone.pid}\n`);
      const results = await race(runDir, racerCount);
      if (overlapped(results)) overlappingRounds += 1;
      const holder = assertOneTook(results, `round ${round}`);
      assert.notEqual(holder, gone.pid);
      // The holder has exited by now and its lock is left, like a crash's: only it may be in it.
      assert.deepEqual(readdirSync(runDir), ['vmtel.lock'], `round ${round}: nothing but the lock is left`);
      assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), `${holder}\n`);
    }
    assert.ok(overlappingRounds > 0, `in ${STALE_ROUNDS} rounds no two take-overs overlapped: nothing was raced`);
  });
}

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
