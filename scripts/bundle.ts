// The build's last step: the CLI and the collector worker each as one file (dist/bundle/), which
// is what `vmtel` runs. Node's start-up loads every module file on its own (resolve, read, wrap,
// compile), and vmtel's tree is a small file per idea plus yargs, winston and js-yaml: loaded file
// by file, they cost the main thread about 100 ms and each worker about 30 ms before anything
// runs on this project's 2-core test machine. Bundled, both load in a fraction of that. The
// compiled tree beside it (dist/src) is what the tests import in-thread. See docs/build.md.
import { buildSync } from 'esbuild';
import { join } from 'node:path';

const DIST = join(__dirname, '..');
const OUT = join(DIST, 'bundle');

buildSync({
  entryPoints: {
    // The two names the code relies on: the supervisor starts collector-worker.js from its own folder.
    vmtel: join(DIST, 'src', 'cli', 'main.js'),
    'collector-worker': join(DIST, 'src', 'orchestrator', 'collector-worker.js'),
  },
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // winston is loaded only after the collectors have started (held-logger.ts): left out, it is not
  // even parsed before then.
  external: ['winston'],
  // Without comments and whitespace the CLI is a third smaller, and pure ASCII: the comments of
  // its dependencies hold a few non-ASCII characters, which made Node read the whole file as a
  // two-byte string (8 ms to read and decode here, against 4). Names are kept, so a stack trace
  // still names its functions; the linked source map gives file and line with --enable-source-maps.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  logOverride: {
    // A `module:` collector is a user's file, loaded by its path at run time: never bundled.
    'unsupported-require-call': 'silent',
  },
});
