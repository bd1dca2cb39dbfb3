// A real winston logger for in-process orchestrator tests, silent on the terminal so expected
// failures do not read as test noise.
import { createLogger, type Logger } from '../../src/log/logger';

export function quietLogger(): Logger {
  return createLogger({ level: 'debug', terminal: false });
}
