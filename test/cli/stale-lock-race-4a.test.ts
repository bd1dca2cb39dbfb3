// 4 real `vmtel run` started together on a stale lock: 25 of the 50 rounds (the other 25 in the
// other stale-lock-race-4 file; see test/helpers/stale-lock-race.ts).
import { staleLockRace } from '../helpers/stale-lock-race';

staleLockRace(4, 25);
