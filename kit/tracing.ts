/**
 * OpenTelemetry traces, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Off by
 * default, and then nothing is registered and no span is made: the helpers below return at
 * their first line.
 *
 * Spans: one SERVER span per request every service handles (this file, called by the HTTP
 * fronts), the gateway's own query-plan spans (@apollo/gateway makes them through the global
 * API), and a CLIENT span per upstream HTTP call (@opentelemetry/instrumentation-undici, over
 * undici's diagnostics channels: fetch, and the gateway's subgraph calls through
 * gateway/subgraph-fetcher.ts). W3C traceparent goes out with every call: undici's
 * instrumentation adds it; `injectTraceContext` is for a call made any other way.
 *
 * `npm start` runs every service in one process, yet each span must name its own service:
 * the registered provider picks, per span, the provider of the service the code works for
 * (service-scope.ts), each with its own `service.name` resource.
 */
import { context, propagation, ProxyTracerProvider, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type Tracer, type TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { IncomingHttpHeaders } from 'node:http';
import { currentRequestId, currentScope } from './service-scope.ts';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingOptions {
  /** OTLP base URL; spans go to `<endpoint>/v1/traces`. */
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
}

interface Running {
  readonly options: TracingOptions;
  readonly providers: Map<string, TracerProvider>;
  readonly instrumentation: UndiciInstrumentation;
  users: number;
}

let running: Running | undefined;
const TRACER_NAME = 'federated-integration-layer';

export function tracingEnabled(): boolean {
  return running !== undefined;
}

/**
 * Starts tracing for this process, or joins it when a service started it already (`npm
 * start` starts many). Returns the release: the last one flushes and stops.
 */
export function startTracing(options: TracingOptions): () => Promise<void> {
  if (!running) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(routed);
    const instrumentation = new UndiciInstrumentation();
    instrumentation.setTracerProvider(routed);
    running = { options, providers: new Map(), instrumentation, users: 0 };
  }
  const joined = running;
  joined.users += 1;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    joined.users -= 1;
    if (joined.users > 0 || running !== joined) return;
    running = undefined;
    joined.instrumentation.disable();
    await Promise.all([...joined.providers.values()].map((provider) => provider.shutdown().catch(() => undefined)));
    trace.disable();
    propagation.disable();
    context.disable();
  };
}

/** Sends every span ended so far (tests, and before a process exits). */
export async function flushTracing(): Promise<void> {
  await Promise.all([...(running?.providers.values() ?? [])].map((provider) => provider.forceFlush()));
}

/** Runs `work` as the SERVER span of one incoming request, continuing the caller's trace. */
export async function inServerSpan<T>(request: { method?: string | undefined; headers: IncomingHttpHeaders }, route: string, status: () => number, work: () => Promise<T>): Promise<T> {
  if (!running) return work();
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const method = request.method ?? 'GET';
  // The request id joins a trace to the request's log lines and audit events.
  const attributes = { 'http.request.method': method, 'http.route': route, 'request.id': currentRequestId() ?? '' };
  return trace.getTracer(TRACER_NAME).startActiveSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      const code = status();
      span.setAttribute('http.response.status_code', code);
      if (code >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
}

/** Adds `traceparent` for the active span to outgoing headers (calls not made with fetch). */
export function injectTraceContext(headers: { set(name: string, value: string): unknown } | undefined): void {
  if (!running || !headers) return;
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => void carrier.set(key, value) });
}

function providerFor(state: Running, service: string): TracerProvider {
  let provider = state.providers.get(service);
  if (!provider) {
    const url = `${state.options.endpoint.replace(/\/+$/, '')}/v1/traces`;
    const exporter = state.options.protocol === 'http/json' ? new JsonTraceExporter({ url }) : new ProtobufTraceExporter({ url });
    provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new BatchSpanProcessor({ exporter })],
    });
    state.providers.set(service, provider);
  }
  return provider;
}

const untraced = new ProxyTracerProvider();

/**
 * A tracer provider that hands each span to the provider of the service making it. One for
 * the process, reading the current state at each span: libraries keep the tracers they got
 * (@apollo/gateway does), and they must follow a later stop and start.
 */
class ServiceRoutedProvider implements ApiTracerProvider {
  getTracer(name: string, version?: string, options?: { schemaUrl?: string }): Tracer {
    const target = () => {
      const state = running;
      const service = currentScope()?.service;
      // Code outside every service (a test's client, a script) is not part of the system's traces.
      return state && service ? providerFor(state, service).getTracer(name, version, options) : untraced.getTracer(name, version, options);
    };
    return {
      startSpan: (spanName: string, spanOptions?: SpanOptions, spanContext?: Context): Span => target().startSpan(spanName, spanOptions, spanContext),
      startActiveSpan: ((...args: Parameters<Tracer['startActiveSpan']>) => (target().startActiveSpan as (...inner: unknown[]) => unknown)(...args)) as Tracer['startActiveSpan'],
    };
  }
}

const routed = new ServiceRoutedProvider();

/** Starts (or joins) tracing when the settings name an OTLP endpoint; returns the release. */
export function tracingFor(settings: { readonly tracing: { readonly otlpEndpoint: string | undefined; readonly otlpProtocol: OtlpProtocol } }): () => Promise<void> {
  const { otlpEndpoint, otlpProtocol } = settings.tracing;
  return otlpEndpoint ? startTracing({ endpoint: otlpEndpoint, protocol: otlpProtocol }) : async () => {};
}
