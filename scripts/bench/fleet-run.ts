// The fleet benchmark (issue 19), on a 3-node JetStream cluster with 3-replica streams started
// here: ship lag at 2,000 guest rows/s, catch-up of a backlog against a plain publish loop of
// the same chunks with the same client, and the flood's rows/s with shipping on against off.
// Each comparison is made in the same run, interleaved, under the same load. Writes its figures
// into docs/benchmarks.md (between the fleet markers) and docs/benchmarks/fleet-results.json.
//   node dist/scripts/bench/fleet-run.js [--runs 3] [--backlog-mib 1024] [--lag-seconds 10]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { CATCH_UP_STREAM, runCatchUp, writeBacklog, type CatchUpRun } from './fleet-catch-up';
import { startBenchCluster } from './fleet-cluster';
import { runShipLag, type LagRun } from './fleet-lag';
import { runVmtelFlood, type FloodRun } from './flood-run';
import { describeMachine, loadNow } from './machine';
import { median } from './stats';
import { LOADS } from './suite';

const ROOT = join(__dirname, '..', '..', '..');
const BEGIN = '<!-- fleet:begin (written by the fleet benchmark; edit the text outside these markers) -->';
const END = '<!-- fleet:end -->';
const LAG_RATE_PER_SEC = 2000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'backlog-mib': { type: 'string', default: '1024' }, 'lag-seconds': { type: 'string', default: '10' } } });
  const runs = Number(values.runs);
  const backlogBytes = Number(values['backlog-mib']) * 2 ** 20;
  const lagSeconds = Number(values['lag-seconds']);
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const machine = describeMachine();
  const date = new Date().toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ');
  const raw = await withBenchDir(async (dir) => {
    const natsDir = join(dir, 'nats');
    mkdirSync(natsDir);
    const cluster = await startBenchCluster(natsDir);
    try {
      const lag: LagRun[] = [];
      const catchUp: CatchUpRun[] = [];
      const flood: { off: FloodRun[]; on: FloodRun[] } = { off: [], on: [] };
      const backlogDir = join(dir, 'backlog');
      mkdirSync(backlogDir);
      writeBacklog(backlogDir, backlogBytes, LOADS.rowBytes);
      for (let i = 0; i < runs; i += 1) {
        lag.push(await runShipLag(cluster, LAG_RATE_PER_SEC, lagSeconds, LOADS.rowBytes));
        log(`lag ${i + 1}/${runs}: ${JSON.stringify(lag.at(-1))}`);
        catchUp.push(await runCatchUp(cluster, backlogDir, i));
        log(`catch-up ${i + 1}/${runs}: ${JSON.stringify(catchUp.at(-1))}`);
        flood.off.push(await runVmtelFlood(LOADS.floodRows, LOADS.rowBytes));
        // Every flood episode is vm "bench", episode "bench": a stream of its own keeps one run's
        // chunks from being taken as the next one's (same names, same subjects).
        flood.on.push(await runVmtelFlood(LOADS.floodRows, LOADS.rowBytes, { moreYaml: cluster.shipYaml('BENCHFLOOD', 'flood') }));
        await cluster.dropStream('BENCHFLOOD');
        log(`flood ${i + 1}/${runs}: off ${flood.off.at(-1)?.rowsPerSec.toFixed(0)} rows/s, on ${flood.on.at(-1)?.rowsPerSec.toFixed(0)} rows/s`);
      }
      await cluster.dropStream(CATCH_UP_STREAM);
      return { lag, catchUp, flood };
    } finally {
      await cluster.stop();
    }
  });
  machine.loadAfter = loadNow();
  const problems = [...raw.flood.off, ...raw.flood.on].flatMap((run) => run.problems);
  if (problems.length > 0) throw new Error(`rows lost or damaged: ${problems.join('; ')}`);
  const lagP99Ms = median(raw.lag.map((r) => r.p99Ms));
  const ratios = raw.catchUp.map((r) => r.shipperMBps / r.plainMBps);
  const floodRatios = raw.flood.on.map((on, i) => on.rowsPerSec / (raw.flood.off[i]?.rowsPerSec ?? NaN));
  const figures = [
    { figure: `ship lag p99 at ${LAG_RATE_PER_SEC} rows/s, 3 replicas`, measured: `${lagP99Ms.toFixed(0)} ms`, target: '≤ 1000 ms', met: lagP99Ms <= 1000, runs: raw.lag.map((r) => `${r.p99Ms.toFixed(0)} ms`) },
    {
      figure: `catch-up of a ${values['backlog-mib']} MiB backlog, against a plain publish loop`,
      measured: `${(median(ratios) * 100).toFixed(0)} % (${median(raw.catchUp.map((r) => r.shipperMBps)).toFixed(1)} vs ${median(raw.catchUp.map((r) => r.plainMBps)).toFixed(1)} MB/s)`,
      target: '≥ 70 %',
      met: median(ratios) >= 0.7,
      runs: raw.catchUp.map((r) => `${r.shipperMBps.toFixed(1)}/${r.plainMBps.toFixed(1)} MB/s`),
    },
    {
      figure: 'flood rows/s, shipping on against off',
      measured: `${(median(floodRatios) * 100).toFixed(0)} % (${median(raw.flood.on.map((r) => r.rowsPerSec)).toFixed(0)} vs ${median(raw.flood.off.map((r) => r.rowsPerSec)).toFixed(0)} rows/s)`,
      target: '≥ 90 %',
      met: median(floodRatios) >= 0.9,
      runs: floodRatios.map((r) => `${(r * 100).toFixed(0)} %`),
    },
  ];
  const command = `node dist/scripts/bench/fleet-run.js --runs ${runs} --backlog-mib ${values['backlog-mib']} --lag-seconds ${lagSeconds}`;
  const resultsPath = join(ROOT, 'docs', 'benchmarks', 'fleet-results.json');
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, `${JSON.stringify({ date, command, machine, figures, raw }, null, 1)}\n`);
  const section = [
    `Measured ${date} with \`npm run build && ${command}\`, ${runs} runs, interleaved. Raw runs: [benchmarks/fleet-results.json](benchmarks/fleet-results.json).`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, Linux ${machine.kernel}, Node ${machine.node}; load average (1 min) ${machine.loadBefore.toFixed(2)} at the start, ${machine.loadAfter.toFixed(2)} at the end.`,
    '',
    '| figure | measured (median of runs) | target | met | every run |',
    '| --- | --- | --- | --- | --- |',
    ...figures.map((f) => `| ${f.figure} | ${f.measured} | ${f.target} | ${f.met ? 'yes' : '**no**'} | ${f.runs.join(', ')} |`),
    '',
  ].join('\n');
  const docPath = join(ROOT, 'docs', 'benchmarks.md');
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`docs/benchmarks.md has no ${BEGIN} … ${END} section`);
  writeFileSync(docPath, `${doc.slice(0, begin)}${BEGIN}\n${section}${doc.slice(end)}`);
  for (const f of figures) log(`${f.met ? 'met    ' : 'MISSED '} ${f.figure}: ${f.measured} (target ${f.target})`);
}

main().catch((err: unknown) => {
  process.stderr.write(`fleet bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
