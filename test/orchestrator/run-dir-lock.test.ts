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
// the lock, says what it got and when it was ready, began and ended its try, and holds the lock
// until its stdin closes.
const RACER = `
const { RunDirLock } = require(process.argv[1]);
const startNs = BigInt(process.argv[3]);
const readyNs = process.hrtime.bigint();
while (process.hrtime.bigint() < startNs);
const triedNs = process.hrtime.bigint();
let said;
try { RunDirLock.acquire(process.argv[2]); said = 'took'; } catch (err) { said = err.code ?? String(err); }
const doneNs = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ said, readyNs: String(readyNs), triedNs: String(triedNs), doneNs: String(doneNs) }));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

interface RacerResult {
  pid: number;
  said: string;
  readyNs: bigint;
  triedNs: bigint;
  doneNs: bigint;
}

async function race(runDir: string): Promise<{ startNs: bigint; results: RacerResult[] }> {
  const startNs = process.hrtime.bigint() + START_AHEAD_NS;
  const racers: ChildProcess[] = [];
  try {
    for (let i = 0; i < RACERS; i++) {
      racers.push(spawn(process.execPath, ['-e', RACER, LOCK_MODULE, runDir, String(startNs)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    }
    const results = await Promise.all(
      racers.map(async (racer) => {
        const [chunk] = (await withDeadline('a racer to say what it got', once(racer.stdout!, 'data'), 15_000)) as [Buffer];
        const said = JSON.parse(chunk.toString()) as Record<'said' | 'readyNs' | 'triedNs' | 'doneNs', string>;
        return { pid: racer.pid!, said: said.said, readyNs: BigInt(said.readyNs), triedNs: BigInt(said.triedNs), doneNs: BigInt(said.doneNs) };
      }),
    );
    return { startNs, results };
  } finally {
    for (const racer of racers) racer.stdin!.end();
    await withDeadline('the racers to exit', Promise.all(racers.filter((r) => r.exitCode === null).map((r) => once(r, 'exit'))), 10_000);
  }
}

test('of vmtel processes taking one run dir at the same instant, exactly one holds it', async (t) => {
  let overlappingRounds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const runDir = tempDir(t);
    const { startNs, results } = await race(runDir);
    // A racer not yet spinning at the instant would try late, one after another: no race at all.
    for (const r of results) assert.ok(r.readyNs < startNs, `round ${round}: racer ${r.pid} was ready ${r.readyNs - startNs} ns after the instant`);
    // Two tries overlapped when one began before another ended.
    const overlapped = results.some((a) => results.some((b) => a !== b && a.triedNs <= b.triedNs && b.triedNs < a.doneNs));
    if (overlapped) overlappingRounds += 1;
    const took = results.filter((r) => r.said === 'took');
    assert.equal(took.length, 1, `round ${round}: ${results.map((r) => `${r.pid} ${r.said}`).join(', ')}`);
    assert.deepEqual(
      results.filter((r) => r.said !== 'took').map((r) => r.said),
      Array(RACERS - 1).fill('VMTEL_RUN_DIR_BUSY'),
    );
  }
  // Two cores run two racers at once; a loaded host may deschedule one mid-round, not in every round.
  assert.ok(overlappingRounds > 0, 'in no round did two tries of the lock overlap');
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
