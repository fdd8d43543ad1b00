/**
 * Stripe's REST API (UPSTREAMS.md, "Stripe"), typed: the balance, charges, customers and
 * subscriptions the payments subgraph reads, with Stripe's list envelope and cursors.
 * Answers are mapped to the subgraph's own shapes here and nowhere else. The wire types are
 * our own small subsets of Stripe's objects (the `stripe` package is a dev dependency only).
 */
import type { PaymentsSettings } from './settings.ts';
import { bearerKey } from '../kit/client-credentials.ts';
import { createHttpClient, type QueryValue } from '../kit/http-client.ts';
import { metrics } from '../../kit/metrics.ts';
import { toMoney, type Money } from '../kit/money.ts';
import { UpstreamError } from '../kit/upstream-error.ts';

export const STRIPE_API = 'stripe';

export type ChargeStatus = 'SUCCEEDED' | 'PENDING' | 'FAILED';
export type SubscriptionStatus = 'ACTIVE' | 'PAST_DUE' | 'UNPAID' | 'CANCELED' | 'INCOMPLETE' | 'INCOMPLETE_EXPIRED' | 'TRIALING' | 'PAUSED';

export interface Charge {
  id: string;
  amount: Money;
  status: ChargeStatus;
  /** ISO 8601. */
  created: string;
  description: string | null;
  receiptEmail: string | null;
  customerId: string | null;
  paymentMethodLast4: string | null;
}

export interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** ISO 8601. */
  created: string;
}

export interface Subscription {
  id: string;
  status: SubscriptionStatus;
  created: string;
  customerId: string | null;
  plan: string | null;
  amount: Money | null;
  interval: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
}

export interface Balance {
  available: Money[];
  pending: Money[];
}

/** One page of a Stripe list, with the customers its objects expanded (already mapped). */
export interface ListPage<T> {
  items: T[];
  hasMore: boolean;
  customers: Customer[];
}

export interface ListQuery {
  /** 1..100 (Stripe's bounds). */
  limit: number;
  /** Id of the last object of the previous page. */
  startingAfter?: string | undefined;
}

export interface ChargeQuery extends ListQuery {
  /** Unix seconds. */
  createdGte?: number | undefined;
  customerId?: string | undefined;
}

export interface CustomerQuery extends ListQuery {
  /** Exact, case-sensitive (Stripe's filter). */
  email?: string | undefined;
}

export interface SubscriptionQuery extends ListQuery {
  /** Without one Stripe leaves canceled subscriptions out; `all` keeps them. */
  status?: SubscriptionStatus | 'all' | undefined;
  customerId?: string | undefined;
}

/** Thrown when a `starting_after` id is unknown to Stripe (a cursor from elsewhere). */
export class UnknownCursorError extends Error {}

export interface StripeApi {
  balance(signal: AbortSignal): Promise<Balance>;
  /** Charges newest first, each with its customer expanded (one request a page, no N+1). */
  listCharges(query: ChargeQuery, signal: AbortSignal): Promise<ListPage<Charge>>;
  /** A charge with its customer expanded; null when Stripe does not know it. */
  charge(id: string, signal: AbortSignal): Promise<{ charge: Charge; customer: Customer | null } | null>;
  listCustomers(query: CustomerQuery, signal: AbortSignal): Promise<ListPage<Customer>>;
  customer(id: string, signal: AbortSignal): Promise<Customer | null>;
  /** Subscriptions newest first, each with its customer expanded. */
  listSubscriptions(query: SubscriptionQuery, signal: AbortSignal): Promise<ListPage<Subscription>>;
}

interface WireList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** A customer, or what an expansion of a deleted one gives. */
interface WireCustomer {
  id: string;
  object: 'customer';
  deleted?: true;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  created?: number;
}

interface WireCharge {
  id: string;
  object: 'charge';
  amount: number;
  currency: string;
  status: 'succeeded' | 'pending' | 'failed';
  created: number;
  description: string | null;
  receipt_email: string | null;
  customer: string | WireCustomer | null;
  payment_method_details?: { card?: { last4?: string | null } | null } | null;
}

interface WireSubscription {
  id: string;
  object: 'subscription';
  status: string;
  created: number;
  customer: string | WireCustomer;
  cancel_at_period_end: boolean;
  items: WireList<{
    quantity?: number;
    current_period_end?: number;
    price: { nickname: string | null; unit_amount: number | null; currency: string; recurring: { interval: string } | null };
  }>;
}

interface WireBalance {
  object: 'balance';
  available: { amount: number; currency: string }[];
  pending: { amount: number; currency: string }[];
}

export function createStripeApi(config: PaymentsSettings): StripeApi {
  const http = createHttpClient({
    api: STRIPE_API,
    baseUrl: config.url,
    timeoutMs: config.policy.timeoutMs,
    auth: bearerKey(config.secretKey),
    onExchange: metrics.observeExchange,
  });

  async function list<W, T>(path: string, query: ListQuery & Record<string, QueryValue>, map: (wire: W) => T, customerOf: (wire: W) => string | WireCustomer | null, signal: AbortSignal): Promise<ListPage<T>> {
    const { limit, startingAfter, ...filters } = query;
    try {
      const { body } = await http.request<WireList<W>>({ path, query: { limit, starting_after: startingAfter, ...filters }, signal });
      return { items: body.data.map(map), hasMore: body.has_more, customers: expandedCustomers(body.data.map(customerOf)) };
    } catch (error) {
      // A list answers 404 only for a starting_after it does not know.
      if (error instanceof UpstreamError && error.failure === 'not_found' && startingAfter) throw new UnknownCursorError(startingAfter);
      throw error;
    }
  }

  async function retrieve<W>(path: string, query: Record<string, QueryValue>, signal: AbortSignal): Promise<W | null> {
    try {
      return (await http.request<W>({ path, query, signal })).body;
    } catch (error) {
      if (error instanceof UpstreamError && error.failure === 'not_found') return null;
      throw error;
    }
  }

  return {
    async balance(signal) {
      const { body } = await http.request<WireBalance>({ path: '/v1/balance', signal });
      return {
        available: body.available.map((entry) => toMoney(entry.amount, entry.currency)),
        pending: body.pending.map((entry) => toMoney(entry.amount, entry.currency)),
      };
    },
    listCharges({ limit, startingAfter, createdGte, customerId }, signal) {
      return list<WireCharge, Charge>(
        '/v1/charges',
        { limit, startingAfter, 'created[gte]': createdGte, customer: customerId, 'expand[]': ['data.customer'] },
        toCharge,
        (wire) => wire.customer,
        signal,
      );
    },
    async charge(id, signal) {
      const wire = await retrieve<WireCharge>(`/v1/charges/${encodeURIComponent(id)}`, { 'expand[]': ['customer'] }, signal);
      return wire ? { charge: toCharge(wire), customer: expandedCustomers([wire.customer])[0] ?? null } : null;
    },
    listCustomers({ limit, startingAfter, email }, signal) {
      return list<WireCustomer, Customer>('/v1/customers', { limit, startingAfter, email }, toCustomer, (wire) => wire, signal);
    },
    async customer(id, signal) {
      const wire = await retrieve<WireCustomer>(`/v1/customers/${encodeURIComponent(id)}`, {}, signal);
      return wire && !wire.deleted ? toCustomer(wire) : null;
    },
    listSubscriptions({ limit, startingAfter, status, customerId }, signal) {
      return list<WireSubscription, Subscription>(
        '/v1/subscriptions',
        { limit, startingAfter, status: status?.toLowerCase(), customer: customerId, 'expand[]': ['data.customer'] },
        toSubscription,
        (wire) => wire.customer,
        signal,
      );
    },
  };
}

function idOf(customer: string | WireCustomer | null): string | null {
  return customer === null ? null : typeof customer === 'string' ? customer : customer.id;
}

/** The live customers among expanded ones, each once. */
function expandedCustomers(customers: readonly (string | WireCustomer | null)[]): Customer[] {
  const found = new Map<string, Customer>();
  for (const customer of customers) {
    if (customer && typeof customer === 'object' && !customer.deleted) found.set(customer.id, toCustomer(customer));
  }
  return [...found.values()];
}

function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

function toCharge(wire: WireCharge): Charge {
  return {
    id: wire.id,
    amount: toMoney(wire.amount, wire.currency),
    status: wire.status.toUpperCase() as ChargeStatus,
    created: isoTime(wire.created),
    description: wire.description ?? null,
    receiptEmail: wire.receipt_email ?? null,
    customerId: idOf(wire.customer),
    paymentMethodLast4: wire.payment_method_details?.card?.last4 ?? null,
  };
}

function toCustomer(wire: WireCustomer): Customer {
  return {
    id: wire.id,
    name: wire.name ?? null,
    email: wire.email ?? null,
    phone: wire.phone ?? null,
    created: isoTime(wire.created ?? 0),
  };
}

function toSubscription(wire: WireSubscription): Subscription {
  const item = wire.items.data[0];
  const price = item?.price;
  const quantity = item?.quantity ?? 1;
  return {
    id: wire.id,
    status: wire.status.toUpperCase() as SubscriptionStatus,
    created: isoTime(wire.created),
    customerId: idOf(wire.customer),
    plan: price?.nickname ?? null,
    amount: price && price.unit_amount !== null ? toMoney(price.unit_amount * quantity, price.currency) : null,
    interval: price?.recurring?.interval ?? null,
    // Since API version 2025-03-31 the period lives on the items.
    currentPeriodEnd: item?.current_period_end ? isoTime(item.current_period_end) : null,
    cancelAtPeriodEnd: wire.cancel_at_period_end,
  };
}
