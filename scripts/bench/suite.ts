// The whole benchmark suite: each scenario run `runs` times, interleaved with its baseline (socat,
// the raw reader) so that every comparison is made under the same machine load.
import { runAlignment, runRawAlignment, type AlignmentRun, type RawAlignment } from './alignment-run';
import { runAlignmentPeers, type AlignmentPair } from './alignment-peers';
import { runVmtelFlood, type FloodRun } from './flood-run';
import type { StartFloors } from './start-floors';
import { runIdle, type IdleRun } from './idle-run';
import { runIdlePeers, type IdlePeerPair } from './idle-peers';
import { measureWorkerFloor, runSixteenVms, type SixteenPair, type WorkerFloor } from './sixteen-vms';
import { runMarkComparison, type MarkComparison } from './mark-run';
import { runNoNewline, type NoNewlineRun } from './no-newline-run';
import { runReport, writeReportEpisode, type ReportRun } from './report-run';
import { runSocatCopy } from './socat-copy';
import { runStop, type StopRun } from './stop-run';

/** The loads of issue 6. */
export const LOADS = {
  // The Python collector's reference row size.
  rowBytes: 200,
  // 40 MB: long enough that start and end effects are a few per cent of the span.
  floodRows: 200_000,
  alignmentRatePerSec: 2000,
  // 10,000 rows a run: a p99 rests on 100 rows.
  alignmentSeconds: 5,
  stopRatePerSec: 2000,
  // Long enough for the reader to be in its steady state when the signal comes.
  stopAfterMs: 1500,
  // Two sizes, so CPU per byte shows whether the cost is linear.
  noNewlineBytes: [256 * 2 ** 20, 2 ** 30],
  // Twenty seconds of a 1 s sampling interval: twenty samples of every collector.
  idleWindowS: 20,
  // The in-guest agent's default interval is 1 s (VMTEL_AGENT_INTERVAL_S); ten times that shows
  // what a chattier agent costs.
  idleAgentRowsPerSec: 1,
  busyAgentRowsPerSec: 10,
  // Issue 16: a driver marking 100 times a second while the guest floods. Five million rows keep
  // the flood going for about 7 s, so each run takes 600-800 marks and its p99 is the 7th
  // slowest of them (a million rows, 1.4 s, made it the second slowest of about 140).
  markFloodRows: 5_000_000,
  marksPerSec: 100,
  // Issue 20: pairs of vmtel's samplers and collectd side by side (about 70 s a pair), and of
  // sixteen VMs each way (about 3 minutes a pair).
  idlePeerPairs: 3,
  fleetVms: 16,
  fleetPairs: 2,
  // Empty workers started to measure a worker's memory floor (as many as vmtel's collectors).
  floorWorkers: 5,
} as const;

export interface RawResults {
  throughput: { socat: FloodRun[]; vmtel: FloodRun[] };
  alignment: { vmtel: AlignmentRun[]; rawReader: RawAlignment[]; cRawReader: RawAlignment[] };
  /** vmtel against the Python reference, quiet and with every core busy (issue 20). */
  alignmentPeers: AlignmentPair[];
  stop: { atRate: StopRun[]; flood: StopRun[] };
  noNewline: { small: NoNewlineRun[]; large: NoNewlineRun[] };
  idle: IdleRun[];
  idleBusyAgent: IdleRun[];
  /** Spawn to the last of N empty workers running, in the two start floors (start-floors.ts). */
  startFloors: { five: FloorRun[]; one: FloorRun[] };
  marks: MarkComparison;
  /** `vmtel report` on an hour at 2,000 guest rows/s (report-run.ts). */
  report: ReportRun[];
  /** Issue 20: the idle samplers against collectd (idle-peers.ts), sixteen VMs each way (sixteen-vms.ts). */
  idlePeers: IdlePeerPair[];
  sixteenVms: SixteenPair[];
  workerFloor: WorkerFloor;
}

export interface FloorRun {
  bareMs: number;
  cliMs: number;
}

async function floorRun(floors: StartFloors, workers: number): Promise<FloorRun> {
  return { bareMs: await floors.bare(workers), cliMs: await floors.cli(workers) };
}

type Log = (line: string) => void;

function logged<T>(log: Log, what: string, i: number, runs: number, result: T): T {
  log(`${what} ${i + 1}/${runs}: ${JSON.stringify(result, (key, v: unknown) => (key === 'startedMs' ? undefined : v))}`);
  return result;
}

async function repeat<T>(runs: number, what: string, log: Log, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(logged(log, what, i, runs, await run()));
  return results;
}

// Runs a baseline and its scenario in turns, so both meet the same load on the machine.
async function interleaved<A, B>(runs: number, log: Log, [aWhat, a]: [string, () => Promise<A>], [bWhat, b]: [string, () => Promise<B>]): Promise<[A[], B[]]> {
  const results: [A[], B[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    results[0].push(logged(log, aWhat, i, runs, await a()));
    results[1].push(logged(log, bWhat, i, runs, await b()));
  }
  return results;
}

/**
 * Every scenario; `cRawReader` is the compiled raw-reader.c, `floors` the built start floors,
 * `dir` a scratch folder (the report's episode, about 2 GB, is written there).
 */
export async function runSuite(runs: number, idleRuns: number, cRawReader: string, floors: StartFloors, log: Log, dir: string): Promise<RawResults> {
  const { rowBytes } = LOADS;
  const { alignmentRatePerSec: rate, alignmentSeconds: seconds } = LOADS;
  const [socat, vmtelFlood] = await interleaved(
    runs,
    log,
    ['socat copy', () => runSocatCopy(LOADS.floodRows, rowBytes)],
    ['vmtel flood', () => runVmtelFlood(LOADS.floodRows, rowBytes)],
  );
  // Start latency's floors, next to the runs they are the floors of (the flood runs start guest_agent alone).
  const floorsOne = await repeat(runs, 'start floors, 1 empty worker', log, () => floorRun(floors, 1));
  const [rawReader, vmtelAlignment] = await interleaved(
    runs,
    log,
    ['raw reader alignment', () => runRawAlignment(rate, seconds, rowBytes)],
    ['vmtel alignment', () => runAlignment(rate, seconds, rowBytes)],
  );
  const cRawAlignment = await repeat(runs, 'C raw reader alignment', log, () => runRawAlignment(rate, seconds, rowBytes, [cRawReader]));
  const alignmentPeers = await runAlignmentPeers(runs, rowBytes, log);
  const stop = {
    atRate: await repeat(runs, 'stop at 2,000 rows/s', log, () => runStop(LOADS.stopRatePerSec, LOADS.stopAfterMs, rowBytes)),
    flood: await repeat(runs, 'stop under a flood', log, () => runStop(undefined, LOADS.stopAfterMs, rowBytes)),
  };
  const [small, large] = LOADS.noNewlineBytes;
  const noNewline = {
    small: await repeat(runs, 'no newline, 256 MiB', log, () => runNoNewline(small, rowBytes)),
    large: await repeat(runs, 'no newline, 1 GiB', log, () => runNoNewline(large, rowBytes)),
  };
  // Each idle episode next to the start floors of its five workers, under the same load.
  const [floorsFive, idle] = await interleaved(
    idleRuns,
    log,
    ['start floors, 5 empty workers', () => floorRun(floors, 5)],
    ['idle episode', () => runIdle(LOADS.idleWindowS, LOADS.idleAgentRowsPerSec)],
  );
  const marks = await runMarkComparison(runs, { rows: LOADS.markFloodRows, rowBytes, marksPerSec: LOADS.marksPerSec }, log);
  const idleBusyAgent = await repeat(idleRuns, 'idle episode, agent at 10 rows/s', log, () => runIdle(LOADS.idleWindowS, LOADS.busyAgentRowsPerSec));
  const idlePeers = await runIdlePeers(LOADS.idlePeerPairs, LOADS.idleWindowS, log);
  const sixteenVms = await runSixteenVms(LOADS.fleetPairs, LOADS.fleetVms, LOADS.idleWindowS, log);
  const workerFloor = await measureWorkerFloor(LOADS.floorWorkers);
  const reportEpisode = writeReportEpisode(dir);
  const report = await repeat(runs, 'report of an hour at 2,000 guest rows/s', log, () => runReport(reportEpisode));
  return {
    throughput: { socat, vmtel: vmtelFlood },
    alignment: { vmtel: vmtelAlignment, rawReader, cRawReader: cRawAlignment },
    alignmentPeers,
    stop,
    noNewline,
    idle,
    idleBusyAgent,
    startFloors: { five: floorsFive, one: floorsOne },
    marks,
    report,
    idlePeers,
    sixteenVms,
    workerFloor,
  };
}
