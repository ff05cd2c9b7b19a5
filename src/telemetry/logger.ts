// One root pino logger (JSON), child loggers per reconcile. Secret-bearing
// fields are redacted so webhook URLs with tokens and credentials never reach logs.
import { pino, type Logger } from 'pino';

export type { Logger };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const REDACTED_PATHS = [
  'token',
  'password',
  'authorization',
  '*.token',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  'secret',
  '*.secret',
  'address',
  '*.address',
];

export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({
    level,
    base: { component: 'flagger-ts' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** A logger for tests and library use that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
