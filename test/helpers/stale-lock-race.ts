// One holder per run dir, always: real `vmtel run` processes started together on a run dir whose
// lock names a dead process. Whatever their number, exactly one takes the lock over and starts
// the episode (one `episode_started`); every other one says VMTEL_RUN_DIR_BUSY in one line and
// writes nothing into the run dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureModule } from './episode-config';
import { readJsonl } from './jsonl';
import { tempDir } from './temp-dir';
import { startVmtel, type VmtelProcess } from './vmtel-process';
import { waitFor, withDeadline } from './wait-for';


// A pid that was just used and is free now: the lock's holder died (SIGKILL before pm2 restarted).
function deadPid(): number {
  const gone = spawnSync('true');
  assert.ok(gone.pid !== undefined && gone.pid > 0);
  return gone.pid;
}

/**
 * Registers the test of `racers` processes for `rounds` rounds. The runner gives each test file
 * two minutes, and a round of four starts costs about half a second of CPU on a busy host, so
 * the 50 rounds of four are split over two files.
 */
export function staleLockRace(racers: number, rounds: number): void {
  test(`${racers} vmtel started together on a stale lock, ${rounds} times: exactly one episode_started each time`, { timeout: 110_000 }, async (t) => {
    const dir = tempDir(t);
    for (let round = 0; round < rounds; round++) {
      const runDir = join(dir, `run${round}`);
      mkdirSync(runDir, { mode: 0o750 });
      const stalePid = deadPid();
      writeFileSync(join(runDir, 'vmtel.lock'), `${stalePid}\n`);
      const config = join(dir, `vm${round}.yaml`);
      writeFileSync(
        config,
        `vm: racevm\nepisode: ep${round}\nrun_dir: ${runDir}\nlog_level: warn\ncollectors:\n  tick:\n    module: ${fixtureModule('ticking')}\n    interval_ms: 50\n`,
      );
      const started: VmtelProcess[] = Array.from({ length: racers }, () => startVmtel(t, ['run', '--config', config]));
      const what = `round ${round} (stale pid ${stalePid})`;
      // The winner records until told to stop, so a loser can never find the lock free.
      const losers = await waitFor(
        `${what}: all but one vmtel to exit`,
        () => {
          const ended = started.filter((p) => p.child.exitCode !== null);
          return ended.length >= racers - 1 && ended;
        },
        60_000,
      );
      const winners = started.filter((p) => !losers.includes(p));
      assert.equal(winners.length, 1, `${what}: one vmtel still running; exits ${started.map((p) => p.child.exitCode).join(',')}`);
      for (const loser of losers) {
        assert.equal(loser.child.exitCode, 1, `${what}: ${loser.stderr()}`);
        assert.match(loser.stderr(), /^vmtel: run directory .* is in use by vmtel process \d+ \[VMTEL_RUN_DIR_BUSY\]\n$/, what);
      }
      await waitFor(`${what}: episode_started`, () => readJsonl(join(runDir, 'events.jsonl')).some((e) => e['event'] === 'episode_started'), 30_000);
      // Killed rather than stopped: a clean stop is tested elsewhere, and here it would double
      // the time of each round.
      winners[0]!.child.kill('SIGKILL');
      await withDeadline(`${what}: the winner to end`, winners[0]!.exited, 30_000);
      const starts = readJsonl(join(runDir, 'events.jsonl')).filter((e) => e['event'] === 'episode_started');
      assert.equal(starts.length, 1, `${what}: episode_started ${starts.length} times`);
      assert.equal(starts[0]!['pid'], winners[0]!.child.pid);
      const litter = readdirSync(runDir).filter((f) => f.startsWith('vmtel.lock'));
      assert.deepEqual(litter, ['vmtel.lock'], `${what}: no own pid file or take-over lock left beside the winner's lock`);
    }
  });
}
