/**
 * Structured logs through pino: one JSON line per event on stdout (pino-pretty when stdout
 * is a terminal), each carrying the service and request id of the code that wrote it.
 * Credentials are removed twice: by key through pino's own `redact`, and by the kit's
 * redaction (redact.ts), which also masks personal data by key and inside free text
 * (messages, nested values, error messages, stack traces).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { REDACTED, redactDetails, redactText } from './redact.ts';
import { currentScope } from './service-scope.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
/** `auto`: pretty on a terminal, JSON otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';
type Fields = Record<string, unknown>;

/** Keys whose values never reach a log line, wherever an object holds them. */
const REDACT_KEYS = ['authorization', 'Authorization', 'cookie', 'token', 'accessToken', 'refreshToken', 'password', 'secret', 'clientSecret', 'apiKey', 'signature'];
const HEADER_PATHS = ['headers.authorization', 'headers.cookie', 'headers["x-api-key"]'];
const REDACT_PATHS = [...REDACT_KEYS, ...REDACT_KEYS.map((key) => `*.${key}`), ...HEADER_PATHS, ...HEADER_PATHS.map((path) => `*.${path}`)];

/** One line per event on a terminal: time, level, [service] message, then the fields. */
const PRETTY = {
  translateTime: 'SYS:HH:MM:ss.l',
  singleLine: true,
  messageFormat: '{if service}[{service}] {end}{msg}',
  ignore: 'pid,hostname,service',
  errorLikeObjectKeys: ['err'],
};

const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error', 'silent'];
// Until the settings are read (they validate LOG_LEVEL and call configureLogging), a sane default.
let level: LogLevel = LEVELS.includes(process.env.LOG_LEVEL ?? '') ? (process.env.LOG_LEVEL as LogLevel) : process.env.NODE_ENV === 'test' ? 'silent' : 'info';
let format: LogFormat = 'auto';
let destination: DestinationStream | undefined;
let current: Logger = build();

function build(): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers: grep-able and what log pipelines map without configuration.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
      mixin: scopeFields,
    },
    destination ?? output(),
  );
}

function output(): DestinationStream {
  const onTerminal = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  // Synchronous writes: lines keep their order with console output and survive an exit.
  return onTerminal ? pretty({ ...PRETTY, sync: true, destination: 1 }) : pino.destination({ dest: 1, sync: true });
}

/** The service and request the running code works for (from the async context). */
function scopeFields(): Fields {
  const scope = currentScope();
  if (!scope) return {};
  return scope.request ? { service: scope.service, requestId: scope.request.requestId } : { service: scope.service };
}

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return typeof value === 'string' ? redactText(value) : value;
  const code = (value as { code?: unknown }).code;
  return {
    type: value.name,
    message: redactText(value.message),
    ...(typeof code === 'string' ? { code } : {}),
    // Stacks stay in the log (never in a response), with anything secret-looking taken out.
    ...(value.stack ? { stack: redactText(value.stack) } : {}),
  };
}

/** Fields through the kit's redaction; errors keep their stack for the serializer, which redacts it. */
function redactFields(fields: Fields | undefined): Fields | undefined {
  if (!fields) return undefined;
  const { err, error, ...rest } = fields;
  const copy = redactDetails(rest);
  if (err !== undefined) copy.err = err;
  if (error !== undefined) copy.error = error;
  return copy;
}

function write(method: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Fields): void {
  if (!current.isLevelEnabled(method)) return; // no redaction work for lines nobody writes
  const safe = redactText(message);
  const extra = redactFields(fields);
  if (extra) current[method](extra, safe);
  else current[method](safe);
}

/** The kit's logger: `logger.info(message, fields?)`, fields as one flat object. */
export const logger = {
  debug: (message: string, fields?: Fields) => write('debug', message, fields),
  info: (message: string, fields?: Fields) => write('info', message, fields),
  warn: (message: string, fields?: Fields) => write('warn', message, fields),
  error: (message: string, fields?: Fields) => write('error', message, fields),
};

export function setLogLevel(next: LogLevel): void {
  level = next;
  current.level = next;
}

/**
 * Sets the level, the format and (tests) where lines go; a destination replaces stdout until
 * it is set back to undefined.
 */
export function configureLogging(options: { level?: LogLevel; format?: LogFormat; destination?: DestinationStream | undefined }): void {
  if (options.level) level = options.level;
  if (options.format) format = options.format;
  if ('destination' in options) destination = options.destination;
  current = build();
}

/** A catch handler for work nobody awaits: the failure is logged in one line, never thrown. */
export function logFailure(message: string): (error: unknown) => void {
  return (error) => logger.error(message, { err: error });
}
