/**
 * Request ids and access logs across the stack: every gateway answer names its request in
 * `x-request-id`, and the same id is in its access line, the subgraphs' lines, its errors'
 * extensions, its audit events and the headers of its upstream calls.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway } from '../gateway/server.ts';
import { newAccessRecord } from '../kit/access-record.ts';
import { createHttpClient } from '../subgraphs/kit/http-client.ts';
import { requestIdOf } from '../kit/request-id.ts';
import { runInRequest } from '../kit/service-scope.ts';
import { createServiceTelemetry } from '../kit/service-telemetry.ts';
import { captureLogs, type CapturedLogs, type LogLine } from './support/log-capture.ts';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids and access lines', () => {
  let stack: TestStack;
  let logs: CapturedLogs;
  const accessLines = (service: string, requestId: string) => logs.lines.filter((line) => line.msg === 'graphql request' && line.service === service && line.requestId === requestId);

  beforeAll(async () => {
    stack = await startTestStack({ env: { ...FAST_RESILIENCE, PLANT_API_BREAKER_FAILURES: '2' } });
    logs = captureLogs();
  });
  afterAll(async () => {
    logs.stop();
    await stack.close();
  });

  async function post(query: string, headers: Record<string, string> = {}) {
    const response = await fetch(stack.gateway!.url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    return { status: response.status, requestId: response.headers.get('x-request-id') ?? '', body: (await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } };
  }

  it('writes one access line per request at the gateway and at each subgraph it called, under one request id', async () => {
    const token = await stack.token('VIEWER', { subject: 'viewer-31' });
    const answer = await post('query Overview { plantApiStatus { up } plants(first: 1) { totalCount } }', { Authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(answer.requestId).toMatch(UUID);
    const [line, ...more] = await eventually(() => (accessLines('gateway', answer.requestId).length > 0 ? accessLines('gateway', answer.requestId) : undefined));
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'info', operation: 'Overview', outcome: 'success', status: 200, errorCodes: [], subject: 'viewer-31' });
    expect(typeof line!.durationMs).toBe('number');
    expect(accessLines('plants', answer.requestId)).toHaveLength(1);
    expect(logs.text()).not.toContain(token);
  });

  it('answers a refused request with its id in x-request-id, the error, the access line and the audit event', async () => {
    const refused = await post('{ plantApiStatus { up } }', { Authorization: 'Bearer not-a-jwt' });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: refused.requestId });
    expect(accessLines('gateway', refused.requestId)).toEqual([expect.objectContaining({ outcome: 'error', status: 401, errorCodes: ['UNAUTHENTICATED'], subject: null })]);

    const auditor = await stack.token('AUDITOR');
    const event = await eventually(async () => {
      const { body } = await stack.query<{ auditEvents: { edges: { node: { details: string } }[] } }>(
        `{ auditEvents(filter: { type: AUTH_FAILURE }, first: 50) { edges { node { details } } } }`,
        { token: auditor },
      );
      return body.data?.auditEvents.edges.map((edge) => JSON.parse(edge.node.details) as Record<string, unknown>).find((details) => details.requestId === refused.requestId);
    });
    expect(event).toMatchObject({ reason: 'invalid', requestId: refused.requestId });
  });

  it('makes its own id rather than taking a caller-chosen one, unless told to trust it', async () => {
    const chosen = await post('{ plantApiStatus { up } }', { 'X-Request-Id': 'caller-chosen-id' });
    expect(chosen.requestId).toMatch(UUID);

    const trusting = await startGateway({ ...stack.settings, gateway: { ...stack.settings.gateway, trustRequestId: true } }, { port: 0 });
    try {
      const response = await fetch(trusting.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'proxy-id-1' }, body: '{"query":"{ plantApiStatus { up } }"}' });
      expect(response.headers.get('x-request-id')).toBe('proxy-id-1');
    } finally {
      await trusting.close();
    }
    expect(requestIdOf({ 'x-request-id': 'bad id\nwith a line break' }, true)).toMatch(UUID);
  });

  it('passes its id to the subgraph, which answers and logs under it', async () => {
    const response = await fetch(stack.subgraphs.get('plants')!.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'gw-req-1', Authorization: `Bearer ${await stack.internalToken('VIEWER')}` },
      body: '{"query":"{ plantApiStatus { up } }"}',
    });
    expect(response.headers.get('x-request-id')).toBe('gw-req-1');
    expect(accessLines('plants', 'gw-req-1')).toHaveLength(1);
  });

  it('logs upstream failures, the outage and the breaker opening at warn', async () => {
    const token = await stack.token('VIEWER');
    await setFaults(stack.plantApi.url, { down: true });
    try {
      const failed = await post('{ a: plant(id: "plant-101") { id } }', { Authorization: `Bearer ${token}` });
      await post('{ b: plant(id: "plant-102") { id } }', { Authorization: `Bearer ${token}` });
      const warnings = (message: string) => logs.lines.filter((line) => line.level === 'warn' && line.msg === message);
      await eventually(() => (warnings('upstream down').length > 0 && warnings('circuit breaker changed').length > 0 ? true : undefined));
      expect(warnings('upstream call failed').find((line) => line.requestId === failed.requestId)).toMatchObject({ service: 'plants', api: 'plant-api', failure: 'unavailable' });
      expect(warnings('upstream down')[0]).toMatchObject({ service: 'plants', api: 'plant-api' });
      expect(warnings('circuit breaker changed')[0]).toMatchObject({ service: 'plants', api: 'plant-api', breaker: 'open' });
    } finally {
      await setFaults(stack.plantApi.url, { down: false });
    }
    await eventually(() => (logs.lines.some((line: LogLine) => line.msg === 'upstream restored') ? true : undefined));
  });
});

describe('request ids towards upstreams', () => {
  it('sends the request id of the request being served with every upstream call', async () => {
    const seen: (string | undefined)[] = [];
    const upstream = http.createServer((req, res) => {
      seen.push(req.headers['x-request-id'] as string | undefined);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const client = createHttpClient({ api: 'test-api', baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, timeoutMs: 2000 });
      await runInRequest(createServiceTelemetry('plants'), { requestId: 'req-upstream-1', access: newAccessRecord() }, () => client.request({ path: '/v1/things' }));
      await client.request({ path: '/v1/probe' }); // outside a request (a probe): no id to pass
      expect(seen).toEqual(['req-upstream-1', undefined]);
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
