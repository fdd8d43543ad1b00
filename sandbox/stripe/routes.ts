/**
 * The Stripe API routes of the sandbox: balance, charges, customers and subscriptions, with
 * Stripe's list envelope, filters, cursors and `expand`.
 */
import { randomBytes } from 'node:crypto';
import { json, Router, type RouteHandler, type SandboxRequest, type SandboxResponse } from '../kit/router.ts';
import type { StripeData } from './data.ts';
import { invalidParam, resourceMissing, StripeRequestError } from './errors.ts';
import { wantsExpansion, withCustomer } from './expand.ts';
import { listPage } from './list-page.ts';
import type { SandboxCustomer } from './objects.ts';
import { expandPaths, inRange, listParams, rangeFilter } from './query-params.ts';
import { requireSecretKey } from './secret-key-auth.ts';

const SUBSCRIPTION_STATUSES = ['active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'];

/** The API routes for one seed, answering only requests that carry `secretKey`. */
export function stripeRoutes(data: StripeData, secretKey: string): Router {
  const customersById = new Map<string, SandboxCustomer>(data.customers.map((customer) => [customer.id, customer]));
  const route = (handler: (request: SandboxRequest) => SandboxResponse): RouteHandler => (request) => stripeAnswer(request, secretKey, handler);

  return new Router()
    .on('GET', '/v1/balance', route(() => json(200, data.balance)))
    .on(
      'GET',
      '/v1/charges',
      route(({ query }) => {
        const params = listParams(query);
        const created = rangeFilter(query, 'created');
        const customer = query.get('customer');
        const expand = wantsExpansion(expandPaths(query), 'data.customer');
        const matching = data.charges.filter((charge) => inRange(charge.created, created) && (!customer || charge.customer === customer));
        const page = listPage(matching, data.charges, params, { url: '/v1/charges', noun: 'charge' });
        return json(200, expand ? { ...page, data: page.data.map((charge) => withCustomer(charge, customersById)) } : page);
      }),
    )
    .on(
      'GET',
      '/v1/charges/:id',
      route(({ params, query }) => {
        const charge = data.charges.find((candidate) => candidate.id === params.id);
        if (!charge) throw resourceMissing('charge', params.id ?? '');
        return json(200, wantsExpansion(expandPaths(query), 'customer') ? withCustomer(charge, customersById) : charge);
      }),
    )
    .on(
      'GET',
      '/v1/customers',
      route(({ query }) => {
        const params = listParams(query);
        const created = rangeFilter(query, 'created');
        const email = query.get('email');
        wantsExpansion(expandPaths(query));
        // Stripe's email filter is exact and case-sensitive.
        const matching = data.customers.filter((customer) => inRange(customer.created, created) && (email === null || customer.email === email));
        return json(200, listPage(matching, data.customers, params, { url: '/v1/customers', noun: 'customer' }));
      }),
    )
    .on(
      'GET',
      '/v1/customers/:id',
      route(({ params, query }) => {
        wantsExpansion(expandPaths(query));
        const customer = customersById.get(params.id ?? '');
        if (!customer) throw resourceMissing('customer', params.id ?? '');
        return json(200, customer);
      }),
    )
    .on(
      'GET',
      '/v1/subscriptions',
      route(({ query }) => {
        const params = listParams(query);
        const created = rangeFilter(query, 'created');
        const customer = query.get('customer');
        const status = query.get('status');
        if (status !== null && !SUBSCRIPTION_STATUSES.includes(status)) {
          throw invalidParam('status', `Invalid status: must be one of ${SUBSCRIPTION_STATUSES.join(', ')}`);
        }
        const expand = wantsExpansion(expandPaths(query), 'data.customer');
        const matching = data.subscriptions.filter(
          (subscription) =>
            inRange(subscription.created, created) &&
            (!customer || subscription.customer === customer) &&
            statusMatches(subscription.status, status),
        );
        const page = listPage(matching, data.subscriptions, params, { url: '/v1/subscriptions', noun: 'subscription' });
        return json(200, expand ? { ...page, data: page.data.map((subscription) => withCustomer(subscription, customersById)) } : page);
      }),
    )
    .on(
      'GET',
      '/v1/subscriptions/:id',
      route(({ params, query }) => {
        const subscription = data.subscriptions.find((candidate) => candidate.id === params.id);
        if (!subscription) throw resourceMissing('subscription', params.id ?? '');
        return json(200, wantsExpansion(expandPaths(query), 'customer') ? withCustomer(subscription, customersById) : subscription);
      }),
    );
}

/** Without a status filter Stripe leaves canceled subscriptions out; `all` keeps them. */
function statusMatches(status: string, filter: string | null): boolean {
  if (filter === null) return status !== 'canceled';
  if (filter === 'all') return true;
  if (filter === 'ended') return status === 'canceled' || status === 'incomplete_expired';
  return status === filter;
}

/** Authenticates, runs the handler, maps thrown Stripe errors, and stamps a Request-Id. */
function stripeAnswer(request: SandboxRequest, secretKey: string, handler: (request: SandboxRequest) => SandboxResponse): SandboxResponse {
  let response: SandboxResponse;
  try {
    requireSecretKey(request.headers, secretKey);
    response = handler(request);
  } catch (error) {
    if (!(error instanceof StripeRequestError)) throw error;
    response = error.toResponse();
  }
  return { ...response, headers: { ...response.headers, 'Request-Id': `req_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}` } };
}
