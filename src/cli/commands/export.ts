// `vmtel export`: episodes become a dataset of typed tables (see docs/export.md).
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES } from '../../errors';

interface ExportArgs {
  'run-dirs': string[];
  out: string;
  grid: string;
  'deployable-only': boolean;
  format: 'parquet' | 'csv';
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <run-dirs..>',
  describe: 'Export episodes as a dataset: rows per source, events, episodes and an aligned feature grid (Parquet or CSV)',
  builder: (yargs: Argv) =>
    yargs
      .positional('run-dirs', { type: 'string', array: true, demandOption: true, describe: "Episodes' run dirs" })
      .option('out', { type: 'string', demandOption: true, normalize: true, describe: 'Folder to write the dataset into (new or empty)' })
      .option('grid', { type: 'string', default: '1s', describe: 'Width of a features bin: 500ms, 1s, 10s, 1m…' })
      .option('deployable-only', { type: 'boolean', default: false, describe: 'Keep only sources available in deployment' })
      .option('format', { choices: ['parquet', 'csv'] as const, default: 'parquet' as const, describe: 'File format of the tables' })
      .example('$0 export runs/vm1/ep1 runs/vm1/ep2 --out datasets/d1', 'two episodes as one Parquet dataset') as unknown as Argv<ExportArgs>,
  handler: async (argv) => {
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast; the
    // export loads DuckDB only once it runs.
    const { exportDataset } = await import('../../export/export-dataset.js');
    const { parseGrid } = await import('../../export/grid-option.js');
    const written = await exportDataset({
      runDirs: argv['run-dirs'],
      outDir: argv.out,
      format: argv.format,
      gridText: argv.grid,
      gridNs: parseGrid(argv.grid),
      deployableOnly: argv['deployable-only'],
    });
    process.stdout.write(`${written.join('\n')}\n`);
    process.exitCode = EXIT_CODES.ok;
  },
};
