// How every bundle of this project is built: vmtel's own (bundle.ts) and the start floors the
// benchmarks compare it with, so that a floor is loaded the way vmtel is.
import { dirname } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

// The namespace of the stand-in below; an import made from inside it is the real module's.
const STAND_IN_NAMESPACE = 'ascii-string-width';

// yargs 18 measures text with string-width, which builds an Intl.Segmenter and its Unicode tables
// as it loads: 20-30 ms of the main thread. yargs lays out the whole help text at every command's
// start (it caches it for a handler that might show it), so `vmtel run` paid that before it could
// start a worker. Every import of string-width gets a stand-in: printable ASCII, all of vmtel's
// help, is one column a character (no escape sequence, no wide or ambiguous character can be in
// it), and any other text goes to the real module, loaded at its first such call.
const asciiStringWidth: Plugin = {
  name: 'ascii-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.namespace === STAND_IN_NAMESPACE) return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, namespace: STAND_IN_NAMESPACE });
      return { path: real.path, namespace: STAND_IN_NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: STAND_IN_NAMESPACE }, (args) => ({
      contents: [
        'const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;',
        'let real;',
        'export default function stringWidth(text, options) {',
        "  if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) return text.length;",
        `  real ??= require(${JSON.stringify(args.path)}).default;`,
        '  return real(text, options);',
        '}',
      ].join('\n'),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

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
  plugins: [asciiStringWidth],
} satisfies BuildOptions;
