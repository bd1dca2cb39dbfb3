// vmtel's own version, read from package.json so there is one place to bump it. A literal
// require(), so the bundled build carries it in (see docs/build.md).

// Compiled to dist/src/version.js: the package root is two folders up.
export const VMTEL_VERSION: string = (require('../../package.json') as { version: string }).version;
