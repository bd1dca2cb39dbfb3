// vmtel's own version, read from package.json at run time so there is one place to bump it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Compiled to dist/src/version.js: the package root is two folders up.
const PACKAGE_JSON = join(__dirname, '..', '..', 'package.json');

export const VMTEL_VERSION: string = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
