// `vmtel report`: a verdict on each episode, with its figures, as an HTML page or JSON.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES } from '../../errors';

const FAIL_ON = ['warning', 'error'] as const;

interface ReportArgs {
  'run-dir': string[];
  out: string | undefined;
  json: boolean;
  'fail-on': (typeof FAIL_ON)[number] | undefined;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <run-dir...>',
  describe: 'Judge recorded episodes: cadence, gaps and their causes, guest clock drift, drops, and a verdict (HTML or JSON)',
  builder: (yargs: Argv) =>
    (yargs as Argv<object>)
      .positional('run-dir', { type: 'string', array: true, demandOption: true, normalize: true, describe: "Episodes' run dirs" })
      .option('out', { type: 'string', normalize: true, describe: 'HTML: the page (one run dir) or a folder for the pages and index.html; JSON: the file (default stdout)' })
      .option('json', { type: 'boolean', default: false, describe: 'Write the figures and verdicts as one JSON document, exact integers' })
      .option('fail-on', { choices: FAIL_ON, describe: `Exit ${EXIT_CODES.verdictRejected} when a verdict is warning or worse (warning) or unusable (error)` })
      .example('$0 report runs/vm1/ep001', 'writes runs/vm1/ep001/report.html and prints its verdict')
      .example('$0 report runs/vm1/* --out reports/', 'one page per episode and reports/index.html')
      .example('$0 report runs/vm1/ep001 --json --fail-on warning', 'the figures on stdout; exit 6 unless the verdict is ok') as unknown as Argv<ReportArgs>,
  handler: async (argv) => {
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { writeReports } = await import('../../report/write-reports.js');
    const { verdictLine } = await import('../../report/verdict-line.js');
    const written = await writeReports(argv['run-dir'], { out: argv.out, json: argv.json });
    if (written.jsonText !== null) process.stdout.write(written.jsonText);
    else if (!argv.json) {
      written.reports.forEach((report, i) => process.stdout.write(`${report.vm}/${report.episode}: ${verdictLine(report.verdict)}\n  ${written.paths[i]}\n`));
      if (written.paths.length > written.reports.length) process.stdout.write(`index: ${written.paths.at(-1)}\n`);
    }
    const rejected = written.reports.some((r) => (argv['fail-on'] === 'warning' ? r.verdict.level !== 'ok' : argv['fail-on'] === 'error' && r.verdict.level === 'unusable'));
    process.exitCode = rejected ? EXIT_CODES.verdictRejected : EXIT_CODES.ok;
  },
};
