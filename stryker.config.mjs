// Mutation testing of the modules where a silent regression costs data (`npm run mutate`; see
// docs/testing.md). Stryker's command runner runs the compiled node:test files of the mutated
// module with the mutant chosen by an environment variable, which worker threads and child
// processes inherit, so a mutant is live in every thread a test starts.
//
// `npm run mutate -- --mutate 'src/control/**'` mutates one module and runs only its tests.
import { readdirSync } from 'node:fs';

/** Each module: the source it mutates and the compiled tests that judge it. */
const MODULES = [
  {
    dir: 'src/control/',
    // The sampling ticker's tests also use the block, but they time wake-ups to milliseconds and
    // fail on a loaded host without any mutant; they kill none of the mutants these leave alive.
    tests: ['control/control-block', 'control/loop-pulse', 'control/wall-anchor', 'control/wall-anchor-edges', 'control/loop-pulse-members', 'collectors/guest-agent/stop'],
  },
  {
    dir: 'src/collectors/unix-client/',
    tests: [
      ...testsIn('collectors/unix-client'),
      'collectors/guest-agent/reconnect',
      'collectors/guest-agent/long-line',
      'collectors/qmp/qmp-connect',
      // connect_timeout_s's bound and unit reach the user through the config loader, its help
      // text through `vmtel init`.
      'config/load-config',
      'cli/config-files',
    ],
  },
  // The kind's description and its options' docs reach the user in `vmtel init`'s starter config.
  { dir: 'src/collectors/guest-agent/', tests: [...testsIn('collectors/guest-agent'), 'config/starter-config'] },
  { dir: 'src/sink/', tests: testsIn('sink') },
  // The fleet's section of the config is checked by the fleet's config test.
  { dir: 'src/config/', tests: [...testsIn('config'), 'fleet/ship-config'] },
  { dir: 'src/orchestrator/run-dir-lock.ts', tests: testsIn('orchestrator').filter((test) => test.includes('/run-dir-lock')) },
];

// Every test file of a folder of test/ (a new test there judges its module without being listed).
function testsIn(folder) {
  return readdirSync(new URL(`test/${folder}/`, import.meta.url))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${folder}/${name.slice(0, -'.test.ts'.length)}`);
}

// Files of a module that a quicker subset of its tests judges, when one is named alone: the
// guest row path's pure functions and the guest clock's, whose tests take a second where the
// module's take several.
// The same for two files of the config loader, each by its own unit tests and the problems'
// tests (the one-document rule and the messages are seen only there). And files of the config
// module whose behaviour reaches the user only through a command, judged by that command's tests
// (too slow to run for each of the module's 1,400 mutants): the run dir check of `vmtel run`,
// the starter config of `vmtel init`, and ${VAR} interpolation as `vmtel validate` shows it.
const PARTS = [
  ...['guest-row.ts', 'host-owned-keys.ts'].map((file) => ({
    dir: `src/collectors/guest-agent/${file}`,
    tests: ['collectors/guest-agent/guest-row', 'collectors/guest-agent/row-batch'],
  })),
  // The guest clock's pure parts, each by the unit tests that script its input to the row.
  ...['lower-envelope.ts', 'clock-envelope.ts', 'guest-clock.ts', 'skipped-ticks.ts', 'top-level-keys.ts'].map((file) => ({
    dir: `src/collectors/guest-agent/${file}`,
    tests: ['lower-envelope', 'clock-envelope', 'guest-clock', 'guest-clock-figures', 'skipped-ticks', 'top-level-keys', 'guest-row', 'row-batch'].map((test) => `collectors/guest-agent/${test}`),
  })),
  { dir: 'src/config/key-lines.ts', tests: ['config/key-lines', 'config/config-problems'] },
  // A ${VAR} read as a number or a boolean is checked here and shown by `vmtel validate`.
  { dir: 'src/config/check-value.ts', tests: ['config/check-value', 'config/config-problems', 'cli/config-files'] },
  // Its refusals by the run dir command test; the errors of a real mount (read-only, full,
  // denied) by the run dir faults test.
  { dir: 'src/config/run-dir-check.ts', tests: ['cli/run-dir-check', 'cli/run-dir-faults'] },
  { dir: 'src/config/starter-config.ts', tests: ['cli/config-files'] },
  { dir: 'src/config/interpolate-env.ts', tests: ['config/load-config', 'config/config-problems', 'cli/config-files'] },
];

// The --mutate patterns given on the command line, if any: a module is chosen when one of them
// names a path inside it (or the module itself).
function mutateArgs(argv) {
  const patterns = [];
  argv.forEach((arg, index) => {
    if (arg === '--mutate' || arg === '-m') patterns.push(...(argv[index + 1] ?? '').split(','));
    else if (arg.startsWith('--mutate=')) patterns.push(...arg.slice('--mutate='.length).split(','));
  });
  return patterns.filter((pattern) => pattern !== '');
}

function globBase(pattern) {
  const glob = pattern.search(/[*?{[]/);
  return glob < 0 ? pattern : pattern.slice(0, glob);
}

// A pattern starting with "!" leaves files out of what the others name (Stryker's own syntax):
// it chooses no module, and the report's name counts it.
const allPatterns = mutateArgs(process.argv);
const patterns = allPatterns.filter((pattern) => !pattern.startsWith('!'));
const exclusions = allPatterns.length - patterns.length;
const chosen =
  patterns.length === 0
    ? MODULES
    : [...new Set(patterns.flatMap((pattern) => {
        const base = globBase(pattern);
        const part = PARTS.find(({ dir }) => dir === base);
        return part ? [part] : MODULES.filter(({ dir }) => base.startsWith(dir) || dir.startsWith(base));
      }))];
if (chosen.length === 0) throw new Error(`--mutate ${patterns.join(',')} names none of: ${MODULES.map(({ dir }) => dir).join(' ')}`);
// One report per run, named after what it mutates (the --mutate patterns, else all modules), so
// runs of different modules or files keep their reports.
const reportName =
  (patterns.length === 0 ? 'all' : patterns.map((pattern) => globBase(pattern).replace(/^src\//, '').replace(/\/$|\.ts$/, '').replaceAll('/', '-')).join('+')) +
  (exclusions > 0 ? `-minus-${exclusions}` : '');
const testFiles = [...new Set(chosen.flatMap(({ tests }) => tests))].map((test) => `dist/test/${test}.test.js`);

export default {
  mutate: chosen.map(({ dir }) => (dir.endsWith('/') ? `${dir}**/*.ts` : dir)),
  // The whole build (tsc and the CLI bundle) runs once in Stryker's sandbox copy, on the
  // instrumented source; each mutant is then switched on at run time, with no rebuild.
  // The sandbox is created mode 0700; some tests run code from it as the user nobody (what root
  // passes unchecked), so `mutate:build` opens it to other users first, as a checkout normally
  // is (a script: Stryker runs the command without a shell).
  buildCommand: 'npm run mutate:build',
  testRunner: 'command',
  commandRunner: { command: `node --test --test-timeout=60000 ${testFiles.join(' ')}` },
  // The command runner cannot tell which test covers which mutant, so every mutant runs all of
  // its module's tests: the TypeScript checker first discards mutants that would not compile.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'off',
  // The machine's cores are shared; tests with worker threads and sockets time out under more.
  concurrency: 1,
  // A mutant that makes a test hang counts as detected (timed out) 10 s past the tests' own time:
  // long enough for a loaded host, short enough that hanging mutants do not dominate the run.
  timeoutMS: 10000,
  ignorePatterns: ['dist', 'runs', 'reports', '.cache'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
