// The build's last step: the CLI and the collector worker each as one file (dist/bundle/), which
// is what `vmtel` runs. Node's start-up loads every module file on its own (resolve, read, wrap,
// compile), and vmtel's tree is a small file per idea plus yargs, winston and js-yaml: loaded file
// by file, they cost the main thread about 100 ms and each worker about 30 ms before anything
// runs on this project's 2-core test machine. Bundled, both load in a fraction of that. The
// compiled tree beside it (dist/src) is what the tests import in-thread. See docs/build.md.
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { BUNDLE_OPTIONS } from './bundle-options';

const DIST = join(__dirname, '..');
const OUT = join(DIST, 'bundle');

buildSync({
  entryPoints: {
    // The two names the code relies on: the supervisor starts collector-worker.js from its own folder.
    vmtel: join(DIST, 'src', 'cli', 'main.js'),
    'collector-worker': join(DIST, 'src', 'orchestrator', 'collector-worker.js'),
  },
  outdir: OUT,
  ...BUNDLE_OPTIONS,
  // winston is loaded only after the collectors have started (held-logger.ts): left out, it is not
  // even parsed before then. DuckDB is a native addon, loaded only by `export` and `sql`.
  external: ['winston', '@duckdb/node-api'],
  // File and line in src/ for a stack trace, with node --enable-source-maps.
  sourcemap: 'linked',
  logOverride: {
    // A `module:` collector is a user's file, loaded by its path at run time: never bundled.
    'unsupported-require-call': 'silent',
  },
});
