// The closing part of `vmtel --help`, written so the help can stand in for a man page: what the
// exit codes mean, what the environment changes, and where the rest is documented.
import { EXIT_CODES } from '../errors';

export const HELP_EPILOGUE = `Exit codes:
  ${EXIT_CODES.ok}  done (for check: every check passed)
  ${EXIT_CODES.runtime}  a runtime failure, or a check that failed
  ${EXIT_CODES.config}  a bad config or bad arguments: nothing was started
  ${EXIT_CODES.doneUnderPm2}  done, under pm2 (run --done-exit-code ${EXIT_CODES.doneUnderPm2})
  ${EXIT_CODES.runDirLost}  the run dir was removed or became read-only while recording (run)
  ${EXIT_CODES.notRecording}  nothing is recording in the run dir (mark, status, tap)
  ${EXIT_CODES.verdictRejected}  an episode's verdict is at or past report --fail-on (report)

Environment:
  \${NAME} in a config value takes the variable NAME; $$ is a literal $.

Every error is one line: vmtel: <what> [CODE]; the codes are in docs/errors.md.
Configuration: docs/configuration.md. Shell completion: vmtel completion.`;
