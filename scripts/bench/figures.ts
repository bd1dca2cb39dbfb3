// Turns the runs into the figures of issue 6, each against its target. A figure is the median of
// its runs; a comparison is the median of ratios taken run by run (same run, same load).
import { alignmentPeerFigures } from './alignment-figures';
import { conditionName } from './alignment-peers';
import { median } from './stats';
import type { MarkComparison } from './mark-run';
import { peerFigures } from './peer-figures';
import { LOADS, type FloorRun, type RawResults } from './suite';

export interface Figure {
  figure: string;
  measured: string;
  target: string;
  met: boolean;
  /** The value of every run, in the unit of `measured`. */
  runs: number[];
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));
const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

function figure(name: string, runs: number[], digits: number, unit: string, target: string, met: (m: number) => boolean, extra = ''): Figure {
  const m = median(runs);
  return { figure: name, measured: `${m.toFixed(digits)} ${unit}${extra}`, target, met: met(m), runs: runs.map((v) => round(v, digits)) };
}

export function computeFigures(raw: RawResults): Figure[] {
  const { throughput, alignment, stop, noNewline, idle, idleBusyAgent, startFloors } = raw;
  const startFive = [...idle, ...idleBusyAgent].map((r) => r.startLatencyMs);
  const floorsOf = (runs: FloorRun[], what: string): string =>
    ` (bare Node starting ${what}: ${median(runs.map((r) => r.bareMs)).toFixed(0)} ms; the same after yargs parses its command line: ${median(runs.map((r) => r.cliMs)).toFixed(0)} ms)`;
  const ratios = throughput.vmtel.map((run, i) => run.rowsPerSec / (throughput.socat[i]?.rowsPerSec ?? NaN));
  const vmtelRate = median(throughput.vmtel.map((r) => r.rowsPerSec));
  const socatRate = median(throughput.socat.map((r) => r.rowsPerSec));
  const floor = (pick: (r: (typeof alignment.rawReader)[number]) => number, digits: number): string =>
    ` (raw reader: ${median(alignment.rawReader.map(pick)).toFixed(digits)} µs; in C: ${median(alignment.cRawReader.map(pick)).toFixed(digits)} µs)`;
  const smallNsPerByte = median(noNewline.small.map((r) => r.cpuNsPerByte));
  const largeNsPerByte = median(noNewline.large.map((r) => r.cpuNsPerByte));
  const problems = allProblems(raw);
  return [
    {
      ...figure('rows/s flat out, 200-byte rows, 200k rows (vmtel ÷ socat, same run)', ratios.map((r) => r * 100), 0, '%', '≥ 50 % of socat', (m) => m >= 50),
      measured: `${median(ratios.map((r) => r * 100)).toFixed(0)} %: ${thousands(vmtelRate)} rows/s vs socat ${thousands(socatRate)} rows/s`,
    },
    figure('CPU per row (user + sys of vmtel, flat out)', throughput.vmtel.map((r) => r.cpuPerRowUs ?? NaN), 2, 'µs', '≤ 3 µs', (m) => m <= 3),
    figure('alignment error p50 at 2,000 rows/s', alignment.vmtel.map((r) => r.p50Us), 1, 'µs', '≤ 30 µs', (m) => m <= 30, floor((r) => r.p50Us, 1)),
    figure('alignment error p99 at 2,000 rows/s', alignment.vmtel.map((r) => r.p99Us), 0, 'µs', '≤ 100 µs', (m) => m <= 100, floor((r) => r.p99Us, 0)),
    figure('alignment error max at 2,000 rows/s', alignment.vmtel.map((r) => r.maxUs), 0, 'µs', '≤ 2,000 µs', (m) => m <= 2000, floor((r) => r.maxUs, 0)),
    ...alignmentPeerFigures(raw.alignmentPeers),
    figure('stop latency at 2,000 rows/s (SIGTERM → exit)', stop.atRate.map((r) => r.latencyMs), 1, 'ms', '≤ 100 ms', (m) => m <= 100),
    figure('stop latency under a flood (SIGTERM → exit)', stop.flood.map((r) => r.latencyMs), 1, 'ms', '≤ 100 ms', (m) => m <= 100),
    figure('RSS growth while the guest sends 1 GiB with no newline', noNewline.large.map((r) => r.rssGrowthMib), 1, 'MiB', '≤ 64 MiB', (m) => m <= 64),
    {
      ...figure('CPU per byte, no newline: 1 GiB vs 256 MiB', noNewline.large.map((r) => r.cpuNsPerByte), 3, 'ns/byte', 'linear: 1 GiB ≤ 1.2 × 256 MiB per byte', () => largeNsPerByte <= 1.2 * smallNsPerByte),
      measured: `${largeNsPerByte.toFixed(3)} ns/byte at 1 GiB, ${smallNsPerByte.toFixed(3)} at 256 MiB`,
    },
    figure('idle CPU, 5 collectors at default intervals, agent 1 row/s (of one core)', idle.map((r) => r.cpuPctOfCore), 2, '%', '≤ 1 %', (m) => m <= 1),
    figure('idle CPU, the same with the agent at 10 rows/s', idleBusyAgent.map((r) => r.cpuPctOfCore), 2, '%', '≤ 1 %', (m) => m <= 1),
    figure('idle RSS, 5 collectors (largest sample of the window)', idle.map((r) => r.maxRssMib), 1, 'MiB', '≤ 120 MiB', (m) => m <= 120),
    figure('start latency, 5 collectors (spawn → last collector_started)', startFive, 0, 'ms', '≤ 300 ms', (m) => m <= 300, floorsOf(startFloors.five, '5 empty workers')),
    figure('start latency, guest_agent only', throughput.vmtel.map((r) => r.startLatencyMs ?? NaN), 0, 'ms', '≤ 300 ms', (m) => m <= 300, floorsOf(startFloors.one, '1 empty worker')),
    ...markFigures(raw.marks),
    ...peerFigures(raw.idlePeers, raw.sixteenVms, raw.workerFloor, LOADS.floorWorkers),
    figure('stop latency, 5 collectors idle', [...idle, ...idleBusyAgent].map((r) => r.stopLatencyMs), 1, 'ms', '≤ 100 ms', (m) => m <= 100),
    figure('vmtel report, 1 h at 2,000 guest rows/s + 4 samplers (wall time)', raw.report.map((r) => r.reportS), 1, 's', '≤ 20 s', (m) => m <= 20,
      ` (CPU ${median(raw.report.map((r) => r.reportCpuS)).toFixed(1)} s; wc -l of the same files: ${median(raw.report.map((r) => r.wcS)).toFixed(1)} s)`),
    figure('vmtel report, the same: peak RSS', raw.report.map((r) => r.peakRssMib), 0, 'MiB', '≤ 300 MiB', (m) => m <= 300),
    {
      figure: 'correctness of every run: rows lost, duplicated or not byte-exact',
      measured: problems.length === 0 ? 'none' : problems.join('; '),
      target: 'none',
      met: problems.length === 0,
      runs: [problems.length],
    },
  ];
}

/** Issue 16's figures: the round trip of a mark while the guest floods, and what marking costs the flood. */
export function markFigures(marks: MarkComparison): Figure[] {
  const ratios = marks.with.map((run, i) => (run.rowsPerSec / (marks.without[i]?.rowsPerSec ?? NaN)) * 100);
  const rate = (runs: ReadonlyArray<{ rowsPerSec: number }>): string => thousands(median(runs.map((r) => r.rowsPerSec)));
  return [
    figure('mark round trip p50 while the guest floods (connect, send → reply; 100 marks/s)', marks.with.map((r) => r.p50Ms), 2, 'ms', '≤ 5 ms', (m) => m <= 5),
    figure('mark round trip p99 while the guest floods', marks.with.map((r) => r.p99Ms), 2, 'ms', '≤ 5 ms', (m) => m <= 5, ` (max ${median(marks.with.map((r) => r.maxMs)).toFixed(1)} ms)`),
    {
      ...figure('flood rows/s with 100 marks/s ÷ without (same run)', ratios, 0, '%', '≥ 95 %', (m) => m >= 95),
      measured: `${median(ratios).toFixed(0)} %: ${rate(marks.with)} rows/s with marks vs ${rate(marks.without)} without`,
    },
  ];
}

/** Every correctness problem of every run, named by its scenario. */
export function allProblems(raw: RawResults): string[] {
  const named = (scenario: string, runs: ReadonlyArray<{ problems: string[] }>): string[] =>
    runs.flatMap((run, i) => run.problems.map((problem) => `${scenario} run ${i + 1}: ${problem}`));
  return [
    ...named('socat copy', raw.throughput.socat),
    ...named('vmtel flood', raw.throughput.vmtel),
    ...named('alignment', raw.alignment.vmtel),
    ...raw.alignmentPeers.flatMap((pair) => [...named(`alignment ${conditionName(pair.condition)}, vmtel`, pair.vmtel), ...named(`alignment ${conditionName(pair.condition)}, reference`, pair.reference)]),
    ...named('stop at rate', raw.stop.atRate),
    ...named('stop under a flood', raw.stop.flood),
    ...named('no newline 256 MiB', raw.noNewline.small),
    ...named('no newline 1 GiB', raw.noNewline.large),
    ...named('idle', raw.idle),
    ...named('idle, agent at 10 rows/s', raw.idleBusyAgent),
    ...named('flood without marks', raw.marks.without),
    ...named('flood with marks', raw.marks.with),
    ...named('idle samplers beside collectd: vmtel', raw.idlePeers.map((p) => p.vmtel)),
    ...named('idle samplers beside collectd: collectd', raw.idlePeers.map((p) => p.collectd)),
    ...named('16 VMs: vmtel', raw.sixteenVms.map((p) => p.vmtel)),
    ...named('16 VMs: collectd', raw.sixteenVms.map((p) => p.collectd)),
  ];
}
