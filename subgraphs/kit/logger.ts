/**
 * Structured one-line JSON logs on stderr. Fields pass through redaction, so a token, key
 * or personal value handed to the logger by mistake is never written out.
 */
import { redactDetails } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

let threshold: LogLevel = (process.env.LOG_LEVEL as LogLevel | undefined) ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

function write(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void {
  if (RANK[level] < RANK[threshold]) return;
  const line = { time: new Date().toISOString(), level, message, ...(fields ? redactDetails(fields) : {}) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};

/** A catch handler for work nobody awaits: the failure is logged in one line, never thrown. */
export function logFailure(message: string): (error: unknown) => void {
  return (error) => logger.error(message, { error: error instanceof Error ? error.message : String(error) });
}
