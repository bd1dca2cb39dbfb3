// The key under which a line carries the time it was logged, when it is written later than that
// (held-logger.ts). A symbol: no output format prints it. Apart from logger.ts so that holding a
// line does not load winston.
export const LOGGED_AT = Symbol('loggedAt');
