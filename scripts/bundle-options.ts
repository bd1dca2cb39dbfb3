// How every bundle of this project is built: vmtel's own (bundle.ts) and the start floors the
// benchmarks compare it with, so that a floor is loaded the way vmtel is.
import type { BuildOptions } from 'esbuild';

export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Without comments and whitespace the CLI is a third smaller, and pure ASCII: the comments of
  // its dependencies hold a few non-ASCII characters, which made Node read the whole file as a
  // two-byte string (8 ms to read and decode here, against 4). Names are kept, so a stack trace
  // still names its functions.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // yargs 18 and yargs-parser are ES modules that call createRequire(import.meta.url) when they
  // load; a CommonJS bundle has no import.meta, so it is defined as the bundle's own file URL.
  // The banner comes before the bundle's "use strict", so it restates it: the whole file stays strict.
  banner: { js: '"use strict";var __bundleFileUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__bundleFileUrl' },
} satisfies BuildOptions;
