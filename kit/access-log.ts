/**
 * One access line per GraphQL request, at info: operation, outcome, HTTP status, duration,
 * error codes, request id and the caller's subject (never a token, never a value). The Apollo
 * plugin gathers what the GraphQL layer knows into the request's AccessRecord; the HTTP front
 * writes the line and the latency sample once the answer is sent.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { outcomeOf, safeOperationName, type AccessRecord } from './access-record.ts';
import { logger } from './logger.ts';
import { currentScope } from './service-scope.ts';
import type { ServiceTelemetry } from './service-telemetry.ts';

type WithCaller = BaseContext & { caller?: { subject: string } | undefined };

function currentRecord(): AccessRecord | undefined {
  return currentScope()?.request?.access;
}

function addCodes(record: AccessRecord, errors: readonly Pick<GraphQLFormattedError, 'extensions'>[] | undefined): void {
  for (const error of errors ?? []) record.errorCodes.add(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

/** Register in every ApolloServer whose requests get access lines. */
export const accessLogPlugin: ApolloServerPlugin<WithCaller> = {
  async contextCreationDidFail({ error }) {
    const record = currentRecord();
    if (!record) return;
    record.graphql = true;
    addCodes(record, [error as { extensions?: Record<string, unknown> }]);
  },
  async requestDidStart({ request }) {
    const record = currentRecord();
    if (!record) return;
    record.graphql = true;
    record.operationName ??= safeOperationName(request.operationName);
    return {
      async didResolveOperation({ operationName }) {
        if (operationName) record.operationName = operationName;
      },
      async willSendResponse({ response, contextValue }) {
        if (contextValue.caller) record.subject = contextValue.caller.subject;
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        record.hasData = data !== null && data !== undefined;
        addCodes(record, errors);
      },
    };
  },
};

/** Writes the access line and the latency sample of a finished GraphQL request. */
export function finishAccess(telemetry: ServiceTelemetry, record: AccessRecord, status: number, durationMs: number): void {
  if (!record.graphql) return;
  const outcome = outcomeOf(record, status);
  telemetry.metrics.observeOperation(record.operationName, outcome, durationMs / 1000);
  logger.info('graphql request', {
    operation: record.operationName ?? null,
    outcome,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    errorCodes: [...record.errorCodes],
    subject: record.subject ?? null,
  });
}
