/** Bad input from the user (names, flags, options): reported as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The process was asked to stop (SIGINT, SIGTERM, SIGHUP): the runs in flight were dropped, nothing half-written. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}; the runs in flight were not recorded`);
  }
}
