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
// Two cores run two racers at once, and a loaded host deschedules a spinning racer now and then:
// rounds go on past ROUNDS, up to this many, until one has seen two tries of the lock overlap.
const MAX_ROUNDS = 20;
// Once every racer has loaded its code and said so, the instant is set this far ahead, so each
// has it and spins when it comes.
const START_AHEAD_NS = 300_000_000n;

// A racer loads the lock, says it is ready, reads the start instant from stdin and spins until
// it (a sleep would wake each at a different moment), tries the lock, says what it got and when
// its try began and ended, and holds the lock until its stdin closes.
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

async function race(runDir: string): Promise<RacerResult[]> {
  const racers: ChildProcess[] = [];
  const nextOutput = async (racer: ChildProcess, what: string): Promise<string> => {
    const [chunk] = (await withDeadline(what, once(racer.stdout!, 'data'), 15_000)) as [Buffer];
    return chunk.toString();
  };
  try {
    for (let i = 0; i < RACERS; i++) {
      racers.push(spawn(process.execPath, ['-e', RACER, LOCK_MODULE, runDir], { stdio: ['pipe', 'pipe', 'inherit'] }));
    }
    await Promise.all(racers.map((racer) => nextOutput(racer, 'a racer to be ready')));
    const startNs = process.hrtime.bigint() + START_AHEAD_NS;
    for (const racer of racers) racer.stdin!.write(`${startNs}\n`);
    return await Promise.all(
      racers.map(async (racer) => {
        const said = JSON.parse(await nextOutput(racer, 'a racer to say what it got')) as Record<'said' | 'triedNs' | 'doneNs', string>;
        return { pid: racer.pid!, said: said.said, triedNs: BigInt(said.triedNs), doneNs: BigInt(said.doneNs) };
      }),
    );
  } finally {
    for (const racer of racers) racer.stdin!.end();
    await withDeadline('the racers to exit', Promise.all(racers.filter((r) => r.exitCode === null).map((r) => once(r, 'exit'))), 10_000);
  }
}

test('of vmtel processes taking one run dir at the same instant, exactly one holds it', async (t) => {
  let overlappingRounds = 0;
  for (let round = 0; round < ROUNDS || (overlappingRounds === 0 && round < MAX_ROUNDS); round++) {
    const runDir = tempDir(t);
    const results = await race(runDir);
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
  assert.ok(overlappingRounds > 0, `in none of ${MAX_ROUNDS} rounds did two tries of the lock overlap`);
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
