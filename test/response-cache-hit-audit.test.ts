/**
 * What a response-cache hit writes to the audit log, at the plugin (Apollo Server in
 * process, the entry put in the store as a miss would have): the events the execution
 * wrote, as the caller served, and, for a grouped alert that answers for several
 * subscribers (`Caller.alsoFor`), as each of them with its own request id, as the
 * subgraphs do on a miss.
 */
import { describe, expect, it } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { buildSchema, parse } from 'graphql';
import type { AuditEventInput } from '../kit/audit-event.ts';
import type { Caller } from '../kit/auth.ts';
import { scopesFor } from '../kit/roles.ts';
import { ServiceMetrics } from '../kit/service-metrics.ts';
import type { GatewayContext } from '../gateway/context.ts';
import { Invalidations } from '../gateway/response-cache/invalidations.ts';
import { responseCacheKey } from '../gateway/response-cache/key.ts';
import { memoryStore } from '../gateway/response-cache/memory-store.ts';
import { responseCachePlugin } from '../gateway/response-cache/plugin.ts';

const QUERY = '{ plant { id email } }';
const read: AuditEventInput = { type: 'SENSITIVE_READ', actor: 'admin-who-missed', service: 'plants', entityType: 'Plant', entityId: 'plant-001', action: 'read Plant.email', outcome: 'SUCCESS', details: { fields: ['Plant.email'] } };

async function hitAs(caller: Caller) {
  const metrics = new ServiceMetrics('gateway');
  const store = memoryStore({ maxBytes: 1_000_000 });
  const emitted: AuditEventInput[] = [];
  const audit = { emit: (event: AuditEventInput) => void emitted.push(event) };
  const server = new ApolloServer<GatewayContext>({
    schema: buildSchema('type Plant { id: ID! email: String } type Query { plant: Plant }'),
    plugins: [responseCachePlugin({ store, invalidations: new Invalidations(store, metrics), audit, metrics })],
  });
  await server.start();
  try {
    const now = Date.now();
    const key = responseCacheKey({ document: parse(QUERY), operationName: undefined, variables: undefined, caller });
    await store.set(key, { data: { plant: { id: 'plant-001', email: 'ops@example.com' } }, storedAt: now, expiresAt: now + 60_000, tags: ['Plant:plant-001'], audited: [read] });
    const response = await server.executeOperation({ query: QUERY }, { contextValue: { caller } as GatewayContext });
    expect(response.http.headers.get('x-cache')).toBe('hit');
    return emitted;
  } finally {
    await server.stop();
  }
}

const admin = (subject: string, alsoFor?: Caller['alsoFor']): Caller => ({ subject, roles: ['ADMIN'], scopes: scopesFor(['ADMIN']), plan: 'basic', expiresAt: 0, ...(alsoFor ? { alsoFor } : {}) });

describe('the audit events of a response-cache hit', () => {
  it('are the execution’s, as the caller served', async () => {
    const emitted = await hitAs(admin('admin-who-hit'));
    expect(emitted).toEqual([{ ...read, actor: 'admin-who-hit' }]);
  });

  it('are written for every subscriber a grouped alert answers for', async () => {
    const emitted = await hitAs(admin('subscriber-1', [{ subject: 'subscriber-2', requestId: 'request-2' }]));
    expect(emitted.map((event) => [event.actor, event.details?.requestId])).toEqual([
      ['subscriber-1', undefined],
      ['subscriber-2', 'request-2'],
    ]);
  });
});
