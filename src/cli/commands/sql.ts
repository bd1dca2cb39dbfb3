// `vmtel sql`: one query against the dataset of some episodes, without exporting it first.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES, VmtelError } from '../../errors';

interface SqlArgs {
  'run-dirs-and-query': string[];
  grid: string;
  'deployable-only': boolean;
  json?: boolean;
  csv?: boolean;
}

export const sqlCommand: CommandModule<object, SqlArgs> = {
  command: 'sql <run-dirs-and-query..>',
  describe: 'Query episodes in DuckDB: views rows_<source>, events, episodes and features (the last argument is the query)',
  builder: (yargs: Argv) =>
    yargs
      .positional('run-dirs-and-query', { type: 'string', array: true, demandOption: true, describe: "Episodes' run dirs, then the SQL query" })
      .option('grid', { type: 'string', default: '1s', describe: 'Width of a features bin: 500ms, 1s, 10s, 1m…' })
      .option('deployable-only', { type: 'boolean', default: false, describe: 'Keep only sources available in deployment' })
      .option('json', { type: 'boolean', describe: 'Print the result as JSON lines, integers exact' })
      .option('csv', { type: 'boolean', describe: 'Print the result as CSV' })
      .conflicts('json', 'csv')
      .example('$0 sql runs/vm1/ep1 "SELECT phase, avg(\\"guest_agent.cpu_pct\\") FROM features GROUP BY phase"', 'a question of one episode') as unknown as Argv<SqlArgs>,
  handler: async (argv) => {
    const items = argv['run-dirs-and-query'];
    if (items.length < 2) throw new VmtelError('VMTEL_USAGE', 'vmtel sql: expected one or more run dirs and then a query');
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { queryEpisodes } = await import('../../export/query-episodes.js');
    const { parseGrid } = await import('../../export/grid-option.js');
    process.stdout.write(
      await queryEpisodes({
        runDirs: items.slice(0, -1),
        query: items[items.length - 1]!,
        gridNs: parseGrid(argv.grid),
        deployableOnly: argv['deployable-only'],
        output: argv.json === true ? 'json' : argv.csv === true ? 'csv' : 'table',
      }),
    );
    process.exitCode = EXIT_CODES.ok;
  },
};
