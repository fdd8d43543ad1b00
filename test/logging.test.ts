/**
 * The kit's logger, in process: JSON lines through pino with level names, the service and
 * request id of the code that logs, credentials and personal data redacted by key and inside
 * free text, levels honoured; and the formatError that logs an unexpected error's stack
 * while the answer carries none of it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { newAccessRecord } from '../kit/access-record.ts';
import { formatResponseError } from '../kit/format-error.ts';
import { logger, setLogLevel } from '../kit/logger.ts';
import { runInRequest, runInService } from '../kit/service-scope.ts';
import { createServiceTelemetry } from '../kit/service-telemetry.ts';
import { captureLogs, type CapturedLogs } from './support/log-capture.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXBhcnQ';

describe('logger', () => {
  let logs: CapturedLogs;
  afterEach(() => logs.stop());

  it('writes one JSON line per event with its level name, time, message and fields', () => {
    logs = captureLogs();
    logger.info('cache warmed', { entries: 3 });
    logger.warn('upstream slow', { api: 'plant-api' });
    expect(logs.lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'cache warmed', entries: 3, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
      expect.objectContaining({ level: 'warn', msg: 'upstream slow', api: 'plant-api' }),
    ]);
  });

  it('adds the service and the request id of the code that logs', () => {
    logs = captureLogs();
    const telemetry = createServiceTelemetry('plants');
    runInService(telemetry, () => logger.info('probing'));
    runInRequest(telemetry, { requestId: 'req-42', access: newAccessRecord() }, () => logger.info('serving'));
    expect(logs.lines[0]).toMatchObject({ service: 'plants', msg: 'probing' });
    expect(logs.lines[0]).not.toHaveProperty('requestId');
    expect(logs.lines[1]).toMatchObject({ service: 'plants', requestId: 'req-42', msg: 'serving' });
  });

  it('redacts credentials by key (pino redact) and inside free text (redactText)', () => {
    logs = captureLogs();
    const error = new Error(`refused Bearer ${JWT} for jane.doe@example.com`);
    logger.warn(`refused Bearer ${JWT}`, {
      authorization: `Bearer ${JWT}`,
      request: { headers: { authorization: 'Bearer abc' }, token: 'raw-token', apiKey: 'SG.key' },
      clientSecret: 'plants-dev-secret',
      note: 'call +1 555 123 4567 or write to jane.doe@example.com',
      err: error,
    });
    const text = logs.text();
    for (const secret of [JWT, 'Bearer abc', 'raw-token', 'SG.key', 'plants-dev-secret', 'jane.doe@example.com', '555 123 4567']) expect(text).not.toContain(secret);
    const [line] = logs.lines;
    expect(line).toMatchObject({ authorization: '[REDACTED]', clientSecret: '[REDACTED]', msg: 'refused Bearer [REDACTED]' });
    expect(line!.request).toMatchObject({ token: '[REDACTED]', apiKey: '[REDACTED]' });
    expect((line!.err as { stack: string }).stack).toMatch(/^Error: refused Bearer \[REDACTED\] for j\*\*\*@example\.com\n\s+at /);
  });

  it("keeps pino's own redact paths for what reaches it unchanged (an error-like object)", () => {
    logs = captureLogs();
    logger.error('upstream refused', { err: { status: 401, authorization: 'Bearer abc', headers: { 'x-api-key': 'calendar-dev-key' } } });
    expect(logs.lines[0]!.err).toEqual({ status: 401, authorization: '[REDACTED]', headers: { 'x-api-key': '[REDACTED]' } });
  });

  it('honours the level: below it nothing is written, silent writes nothing', () => {
    logs = captureLogs('warn');
    logger.info('not written');
    logger.debug('not written either');
    logger.error('written');
    setLogLevel('debug');
    logger.debug('now written');
    setLogLevel('silent');
    logger.error('silenced');
    expect(logs.lines.map((line) => [line.level, line.msg])).toEqual([
      ['error', 'written'],
      ['debug', 'now written'],
    ]);
  });
});

describe('formatResponseError', () => {
  let logs: CapturedLogs;
  afterEach(() => logs.stop());

  it('logs an unexpected error with its stack and answers it masked, with the request id and no stack', () => {
    logs = captureLogs();
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const thrown = new GraphQLError(bug.message, { originalError: bug, path: ['plant', 'operator'] });
    const formatted = runInRequest(createServiceTelemetry('plants'), { requestId: 'req-7', access: newAccessRecord() }, () =>
      formatResponseError({ message: bug.message, path: ['plant', 'operator'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, thrown),
    );
    expect(formatted).toEqual({ message: 'Unexpected error.', path: ['plant', 'operator'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-7' } });
    const [line] = logs.lines;
    expect(line).toMatchObject({ level: 'error', msg: 'unexpected error', requestId: 'req-7', service: 'plants', path: 'plant.operator' });
    expect((line!.err as { type: string; stack: string }).type).toBe('TypeError');
    expect((line!.err as { stack: string }).stack).toMatch(/TypeError: Cannot read properties[^\n]*\n\s+at /);
  });

  it('passes known errors through with the request id and logs nothing', () => {
    logs = captureLogs();
    const formatted = runInRequest(createServiceTelemetry('gateway'), { requestId: 'req-8', access: newAccessRecord() }, () =>
      formatResponseError({ message: 'Not allowed for your role.', extensions: { code: 'FORBIDDEN' } }, new GraphQLError('Not allowed for your role.')),
    );
    expect(formatted.extensions).toEqual({ code: 'FORBIDDEN', requestId: 'req-8' });
    expect(logs.lines).toEqual([]);
  });
});
