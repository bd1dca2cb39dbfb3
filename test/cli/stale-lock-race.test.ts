// One holder per run dir, always: real `vmtel run` processes started together on a run dir whose
// lock names a dead process. Whatever their number, exactly one takes the lock over and starts
// the episode (one `episode_started`); every other one says VMTEL_RUN_DIR_BUSY in one line and
// writes nothing into the run dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureModule } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { startVmtel, type VmtelProcess } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const ROUNDS = 50;

// A pid that was just used and is free now: the lock's holder died (SIGKILL before pm2 restarted).
function deadPid(): number {
  const gone = spawnSync('true');
  assert.ok(gone.pid !== undefined && gone.pid > 0);
  return gone.pid;
}

for (const racers of [2, 4]) {
  test(`${racers} vmtel started together on a stale lock, ${ROUNDS} times: exactly one episode_started each time`, { timeout: 600_000 }, async (t) => {
    const dir = tempDir(t);
    for (let round = 0; round < ROUNDS; round++) {
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
      // A row comes from the collector's worker, which starts after vmtel handles SIGTERM.
      await waitFor(`${what}: the winner's first row`, () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > 0, 30_000);
      winners[0]!.child.kill('SIGTERM');
      assert.equal(await withDeadline(`${what}: the winner to stop`, winners[0]!.exited, 30_000), 0, winners[0]!.stderr());
      const starts = readJsonl(join(runDir, 'events.jsonl')).filter((e) => e['event'] === 'episode_started');
      assert.equal(starts.length, 1, `${what}: episode_started ${starts.length} times`);
      assert.equal(starts[0]!['pid'], winners[0]!.child.pid);
      const litter = readdirSync(runDir).filter((f) => f.startsWith('vmtel.lock'));
      assert.deepEqual(litter, [], `${what}: no lock, own pid file or take-over lock left`);
    }
  });
}
