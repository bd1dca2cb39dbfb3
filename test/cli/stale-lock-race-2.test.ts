// 2 real `vmtel run` started together on a stale lock, 50 times (see test/helpers/stale-lock-race.ts).
import { staleLockRace } from '../helpers/stale-lock-race';

staleLockRace(2, 50);
