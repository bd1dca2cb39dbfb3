// pm2's entry point for vmtel: one app `vmtel-<vm>` per VM, each running `vmtel run --config FILE`.
// `VMTEL_CONFIG=path/to/vm.yaml pm2 start ecosystem.config.js` starts that VM alone; otherwise
// every YAML file of VMTEL_CONFIG_DIR (default config/vms/) gets its app. See docs/pm2.md.
'use strict';

const RULES = './dist/src/pm2/ecosystem-apps';

let rules;
try {
  rules = require(RULES);
} catch (err) {
  // The rules live in the compiled TypeScript: say how to get them rather than show a bare stack.
  if (err.code === 'MODULE_NOT_FOUND' && err.message.includes(RULES)) throw new Error(`vmtel is not built (${RULES}.js is missing): run \`npm run build\` first`);
  throw err;
}

module.exports = { apps: rules.ecosystemApps({ env: process.env, cwd: process.cwd(), repoDir: __dirname }) };
