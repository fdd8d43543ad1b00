/**
 * The operator routes every service answers: `/health` (liveness: cheap, from memory, lists
 * each upstream's state, breaker and last success), `/ready` (readiness: 200 when the
 * service can serve, 503 with the reasons otherwise) and `/metrics` (Prometheus text).
 */
import type { PlainResponse, PlainRoute } from './http-routes.ts';
import { timingSafeEqual } from 'node:crypto';
import { bearerToken } from './auth.ts';
import { bearerChallenge, errorBody, ErrorCode } from './errors.ts';
import { logger } from './logger.ts';
import type { ServiceTelemetry } from './service-telemetry.ts';

export function healthAnswer(telemetry: ServiceTelemetry): PlainResponse {
  const upstreams = telemetry.upstreamReadings().map(({ api, up, breaker, lastSuccessAt }) => ({
    api,
    state: up ? 'up' : 'down',
    since: telemetry.upstreams.find((upstream) => upstream.api === api)?.health.state.since.toISOString() ?? null,
    breaker,
    lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
  }));
  // Alive either way (a restart would not bring an upstream back): degraded is information.
  const status = upstreams.every((upstream) => upstream.state === 'up') ? 'ok' : 'degraded';
  return { status: 200, body: { status, service: telemetry.service, upstreams } };
}

export async function readyAnswer(telemetry: ServiceTelemetry): Promise<PlainResponse> {
  const { ready, checks, errors } = await telemetry.readiness.evaluate();
  for (const { check, error } of errors) logger.warn('readiness check failed', { check, err: error });
  return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', service: telemetry.service, checks } };
}

export async function metricsAnswer(telemetry: ServiceTelemetry): Promise<PlainResponse> {
  return { status: 200, body: await telemetry.metrics.render(), headers: { 'Content-Type': telemetry.metrics.contentType } };
}

/**
 * `/metrics` is for the deployment's Prometheus, not the public: with a token set it
 * answers only to that bearer token (compared in constant time).
 */
export function operatorRoutes(telemetry: ServiceTelemetry, { metricsToken }: { metricsToken?: string | undefined } = {}): PlainRoute[] {
  return [
    { method: 'GET', path: '/health', handle: () => healthAnswer(telemetry) },
    { method: 'GET', path: '/ready', handle: () => readyAnswer(telemetry) },
    {
      method: 'GET',
      path: '/metrics',
      handle: (request) =>
        metricsToken && !sameSecret(bearerToken(request.headers.authorization), metricsToken)
          ? { status: 401, body: errorBody(ErrorCode.UNAUTHENTICATED, 'The metrics need their bearer token.'), headers: { 'WWW-Authenticate': bearerChallenge() } }
          : metricsAnswer(telemetry),
    },
  ];
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
