/**
 * OpenTelemetry end to end: with OTEL_EXPORTER_OTLP_ENDPOINT set, the gateway, the subgraph
 * it calls and that subgraph's upstream call export spans of one trace (W3C traceparent
 * passed along) to an OTLP receiver; without it, nothing is traced.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newAccessRecord } from '../kit/access-record.ts';
import { runInRequest } from '../kit/service-scope.ts';
import { createServiceTelemetry } from '../kit/service-telemetry.ts';
import { loadSettings } from '../config/settings.ts';
import { flushTracing, inServerSpan, injectTraceContext, startTracing, tracingEnabled, tracingFor } from '../kit/tracing.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.ts';
import { eventually, startTestStack, type TestStack } from './support/stack.ts';

const SERVER = 2;
const CLIENT = 3;

describe('tracing over OTLP', () => {
  let receiver: OtlpReceiver;
  let stack: TestStack;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startTestStack({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
    expect(tracingEnabled()).toBe(false); // the last service to close stopped it
  });

  it('exports spans of the gateway, the subgraph and its upstream call in one trace', async () => {
    const { status, headers } = await stack.query('query OnePlant { plant(id: "plant-012") { id name } }', { token: await stack.token('VIEWER') });
    expect(status).toBe(200);
    const requestId = headers.get('x-request-id');

    const trace = await eventually(
      async () => {
        await flushTracing();
        const gateway = receiver.spans.find((span) => span.service === 'gateway' && span.kind === SERVER && span.attributes['request.id'] === requestId);
        if (!gateway) return undefined;
        const inTrace = receiver.spans.filter((span) => span.traceId === gateway.traceId);
        const subgraph = inTrace.find((span) => span.service === 'plants' && span.kind === SERVER);
        const upstreamCall = inTrace.find((span) => span.service === 'plants' && span.kind === CLIENT && String(span.attributes['url.full'] ?? '').startsWith(stack.plantApi.url));
        const upstreamServer = inTrace.find((span) => span.service === 'plant-api-sandbox' && span.kind === SERVER);
        return subgraph && upstreamCall && upstreamServer ? { gateway, subgraph, upstreamCall, upstreamServer, inTrace } : undefined;
      },
      { timeoutMs: 20_000, describe: () => `spans of one trace from gateway, plants and the Plant API (received: ${receiver.spans.map((span) => `${span.service}:${span.name}`).join(', ')})` },
    );
    const byId = new Map(trace.inTrace.map((span) => [span.spanId, span]));
    const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
      const parent = byId.get(span.parentSpanId);
      return parent ? [parent, ...ancestors(parent)] : [];
    };
    // Each hop continues its caller's trace: the upstream's server span descends from the subgraph's call, and so on up.
    expect(ancestors(trace.upstreamServer)).toEqual(expect.arrayContaining([trace.upstreamCall, trace.subgraph, trace.gateway]));
    expect(trace.gateway.parentSpanId).toBe('');
    // The gateway's call to the subgraph is a CLIENT span of its own, between the two.
    expect(ancestors(trace.subgraph).some((span) => span.service === 'gateway' && span.kind === CLIENT)).toBe(true);
    expect(trace.inTrace.some((span) => span.service === 'gateway' && span.name === 'gateway.fetch')).toBe(true);
  });
});

describe('tracing switched off', () => {
  it('registers nothing and adds no traceparent when no endpoint is set', async () => {
    const release = tracingFor(loadSettings({ NODE_ENV: 'test' }));
    try {
      expect(tracingEnabled()).toBe(false);
      const headers = new Map<string, string>();
      await runInRequest(createServiceTelemetry('probe'), { requestId: 'r-0', access: newAccessRecord() }, () =>
        inServerSpan({ method: 'GET', headers: {} }, '/graphql', () => 200, async () => injectTraceContext(headers)),
      );
      expect([...headers.keys()]).toEqual([]);
    } finally {
      await release();
    }
  });

  it('exports over http/protobuf by default', async () => {
    const receiver = await startOtlpReceiver();
    const stop = startTracing({ endpoint: receiver.endpoint, protocol: 'http/protobuf' });
    try {
      const telemetry = createServiceTelemetry('probe');
      await runInRequest(telemetry, { requestId: 'r-1', access: newAccessRecord() }, () => inServerSpan({ method: 'GET', headers: {} }, '/health', () => 200, async () => undefined));
      await flushTracing();
      await eventually(() => (receiver.exports.length > 0 ? true : undefined));
      expect(receiver.exports[0]).toMatchObject({ contentType: 'application/x-protobuf' });
      expect(receiver.exports[0]!.bytes).toBeGreaterThan(0);
    } finally {
      await stop();
      await receiver.close();
    }
    expect(tracingEnabled()).toBe(false);
  });
});
