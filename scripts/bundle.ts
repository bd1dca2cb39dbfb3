// The build's last step: the CLI and the collector worker each as one file (dist/bundle/), which
// is what `vmtel` runs. Node's start-up loads every module file on its own (resolve, read, wrap,
// compile), and vmtel's tree is a small file per idea plus yargs, winston and js-yaml: loaded file
// by file, they cost the main thread about 100 ms and each worker about 30 ms before anything
// runs on this project's 2-core test machine. Bundled, both load in a fraction of that. The
// compiled tree beside it (dist/src) is what the tests import in-thread. See docs/build.md.
import { build } from 'esbuild';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { UPLOT_FILES } from '../src/report/html/uplot-assets';
import { BUNDLE_OPTIONS } from './bundle-options';

const DIST = join(__dirname, '..');
const OUT = join(DIST, 'bundle');

async function bundle(): Promise<void> {
  await build({
    entryPoints: {
      // The two names the code relies on: the supervisor starts collector-worker.js from its own folder.
      vmtel: join(DIST, 'src', 'cli', 'main.js'),
      'collector-worker': join(DIST, 'src', 'orchestrator', 'collector-worker.js'),
      // Started by the shipper supervisor from its own folder, only when a config has `ship:`.
      'shipper-worker': join(DIST, 'src', 'fleet', 'shipper-worker.js'),
      // The bodies of vmtel ship and vmtel archive, loaded from beside load-fleet-cli.js when one
      // of them runs: no other command reads their code.
      'fleet-cli': join(DIST, 'src', 'fleet', 'fleet-cli.js'),
      // Started by `vmtel export` and `vmtel sql` from beside the CLI: the structure scan of a rows file.
      'structure-worker': join(DIST, 'src', 'export', 'structure-worker.js'),
    },
    outdir: OUT,
    ...BUNDLE_OPTIONS,
    // winston is loaded only after the collectors have started (held-logger.ts): left out, it is not
    // even parsed before then. DuckDB is a native addon, loaded only by `export` and `sql`. The NATS
    // client is required inside functions of src/fleet/nats-client.ts, by the shipper and the
    // ship/archive commands only: left out, `vmtel run` without `ship:` never reads it.
    external: ['winston', '@duckdb/node-api', '@nats-io/*'],
    // File and line in src/ for a stack trace, with node --enable-source-maps.
    sourcemap: 'linked',
    logOverride: {
      // A `module:` collector is a user's file, loaded by its path at run time: never bundled.
      'unsupported-require-call': 'silent',
    },
  });

  // uPlot's dist files, read from node_modules now, beside the bundle: every report page inlines
  // them (src/report/html/uplot-assets.ts), and the bundle needs no node_modules to write one. Kept
  // out of the bundle's own text, which `vmtel run` loads on its start path.
  for (const file of UPLOT_FILES) copyFileSync(require.resolve(file.module), join(OUT, file.name));
}

bundle().catch((err: unknown) => {
  process.stderr.write(`bundle failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
