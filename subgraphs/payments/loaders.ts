/**
 * The payments subgraph's reads, deduplicated per request and cached across requests.
 * Stripe has no batch retrieve, so N+1 is avoided the other way round: list calls expand
 * each object's customer (`expand[]=data.customer`), and every page primes the customer
 * loader (and the cache) with them. A page of 50 charges with their customers is one request.
 * List pages are cached under a generation that a webhook bumps (kit/cache.ts), so no list
 * outlives a change Stripe told us about.
 */
import type { ChangedEntity } from '../../kit/cache-invalidation.ts';
import type DataLoader from 'dataloader';
import { cacheGeneration, type CacheGeneration, type EntryCache } from '../kit/cache.ts';
import { badUserInput } from '../../kit/errors.ts';
import { cachedItemLoader } from '../kit/loaders.ts';
import type { Upstream } from '../kit/upstream.ts';
import {
  UnknownCursorError,
  type Balance,
  type Charge,
  type ChargeQuery,
  type Customer,
  type CustomerQuery,
  type ListPage,
  type StripeApi,
  type Subscription,
  type SubscriptionQuery,
} from './connector.ts';

export interface PaymentLoaders {
  charge: DataLoader<string, Charge | null, string>;
  customer: DataLoader<string, Customer | null, string>;
  balance(): Promise<Balance>;
  charges(query: ChargeQuery): Promise<ListPage<Charge>>;
  customers(query: CustomerQuery): Promise<ListPage<Customer>>;
  subscriptions(query: SubscriptionQuery): Promise<ListPage<Subscription>>;
}

/** What a Stripe event touched (webhooks.ts). */
export interface StripeChange {
  /** Stripe's object type: `charge`, `customer`, `subscription`, `balance`, ... */
  objectType: string;
  objectId: string | undefined;
}

export class PaymentData {
  readonly #api: StripeApi;
  readonly #upstream: Upstream;
  readonly #lists: CacheGeneration;

  constructor(api: StripeApi, upstream: Upstream, cache: EntryCache) {
    this.#api = api;
    this.#upstream = upstream;
    this.#lists = cacheGeneration(cache, 'lists');
  }

  createLoaders(): PaymentLoaders {
    const upstream = this.#upstream;
    const api = this.#api;
    const customer = cachedItemLoader<string, Customer>(upstream, 'customer', (id, signal) => api.customer(id, signal));
    const charge = cachedItemLoader<string, Charge>(upstream, 'charge', async (id, signal, after) => {
      const found = await api.charge(id, signal);
      const customer = found?.customer;
      if (customer) after(() => upstream.prime(`customer:${customer.id}`, customer));
      return found?.charge ?? null;
    });
    // The same page asked for twice in one request (aliases, a customer met twice) is read once.
    const pages = new Map<string, Promise<ListPage<unknown>>>();

    const page = <T extends { id: string }>(kind: string, query: object, fetch: (signal: AbortSignal) => Promise<ListPage<T>>, primeItem?: (item: T) => void) => {
      const memo = `${kind}:${JSON.stringify(query)}`;
      let pending = pages.get(memo) as Promise<ListPage<T>> | undefined;
      if (!pending) {
        pending = this.#listPage(kind, query, fetch).then((result) => {
          for (const found of result.customers) customer.prime(found.id, found);
          if (primeItem) for (const item of result.items) primeItem(item);
          return result;
        });
        pages.set(memo, pending);
      }
      return pending;
    };

    return {
      charge,
      customer,
      balance: () => upstream.read('balance', (signal) => api.balance(signal)),
      charges: (query) => page('charges', query, (signal) => api.listCharges(query, signal), (item) => charge.prime(item.id, item)),
      customers: (query) => page('customers', query, (signal) => api.listCustomers(query, signal), (item) => customer.prime(item.id, item)),
      subscriptions: (query) => page('subscriptions', query, (signal) => api.listSubscriptions(query, signal)),
    };
  }

  /** Forgets what a Stripe event touched, and every cached list page. */
  async invalidate({ objectType, objectId }: StripeChange): Promise<void> {
    if (objectType === 'charge' || objectType === 'balance') await this.#upstream.invalidate('balance');
    if (objectId && (objectType === 'charge' || objectType === 'customer')) await this.#upstream.invalidate(`${objectType}:${objectId}`);
    if (objectType === 'charge' || objectType === 'customer' || objectType === 'subscription') await this.#lists.bump();
  }

  /** One cached list page; its objects and customers are cached one by one too. */
  async #listPage<T extends { id: string }>(kind: string, query: object, fetch: (signal: AbortSignal) => Promise<ListPage<T>>): Promise<ListPage<T>> {
    const generation = await this.#lists.current();
    const entity = kind === 'subscriptions' ? undefined : kind.slice(0, -1);
    return this.#upstream.read(`${kind}:${generation}:${JSON.stringify(query)}`, async (signal, after) => {
      const result = await fetch(signal).catch((error: unknown) => {
        // A client's mistake, not an upstream failure: not retried, audited or cached.
        throw error instanceof UnknownCursorError ? badUserInput('after is not a cursor this field returned.', 'after') : error;
      });
      after(() =>
        Promise.all([
          ...result.customers.map((found) => this.#upstream.prime(`customer:${found.id}`, found)),
          ...(entity ? result.items.map((item) => this.#upstream.prime(`${entity}:${item.id}`, item)) : []),
        ]),
      );
      return result;
    });
  }
}

/** What a Stripe event changed, as the gateway's response cache names it (the schema's types). */
export function changedEntities({ objectType, objectId }: StripeChange): ChangedEntity[] {
  const entities: ChangedEntity[] = [];
  if (objectType === 'charge' || objectType === 'balance') entities.push({ type: 'Balance' });
  if (objectType === 'charge') entities.push(objectId ? { type: 'Charge', id: objectId } : { type: 'Charge' });
  if (objectType === 'customer') entities.push(objectId ? { type: 'Customer', id: objectId } : { type: 'Customer' });
  if (objectType === 'subscription') entities.push({ type: 'BillingSubscription' });
  return entities;
}
