/** Resolvers of the payments subgraph: arguments checked, then loaders, never fetch. */
import { hasScope } from '../../kit/auth.ts';
import type { SubgraphContext } from '../kit/context.ts';
import { badUserInput, forbidden } from '../../kit/errors.ts';
import { cursorWindow, toCursorConnection } from '../kit/pagination.ts';
import type { Charge, Customer, Subscription, SubscriptionStatus } from './connector.ts';
import type { PaymentLoaders } from './loaders.ts';

type Context = SubgraphContext<PaymentLoaders>;
type PageArgs = { first?: number | null; after?: string | null };

/** Every page of a customer's subscriptions fits one Stripe list call. */
const CUSTOMER_SUBSCRIPTIONS_LIMIT = 100;

const byId = (node: { id: string }) => node.id;

export const paymentResolvers = {
  Query: {
    paymentsBalance(_: unknown, __: unknown, { loaders }: Context) {
      return loaders.balance();
    },
    async charges(_: unknown, args: PageArgs & { createdFrom?: string | null; customerId?: string | null }, { loaders }: Context) {
      const { limit, after } = cursorWindow(args, 'charges');
      const createdGte = args.createdFrom ? unixSeconds(args.createdFrom, 'createdFrom') : undefined;
      const page = await loaders.charges({ limit, startingAfter: after, createdGte, customerId: args.customerId ?? undefined });
      return toCursorConnection(page.items, page.hasMore, 'charges', byId);
    },
    charge(_: unknown, { id }: { id: string }, { loaders }: Context) {
      return loaders.charge.load(id);
    },
    async customers(_: unknown, args: PageArgs & { email?: string | null }, { loaders, caller }: Context) {
      // Looking customers up by a full address would undo the masking of Customer.email.
      if (args.email && !hasScope(caller, 'pii:read')) throw forbidden('Filtering customers by email needs pii:read.');
      const { limit, after } = cursorWindow(args, 'customers');
      const page = await loaders.customers({ limit, startingAfter: after, email: args.email ?? undefined });
      return toCursorConnection(page.items, page.hasMore, 'customers', byId);
    },
    customer(_: unknown, { id }: { id: string }, { loaders }: Context) {
      return loaders.customer.load(id);
    },
    async subscriptions(_: unknown, args: PageArgs & { status?: SubscriptionStatus | null }, { loaders }: Context) {
      const { limit, after } = cursorWindow(args, 'subscriptions');
      const page = await loaders.subscriptions({ limit, startingAfter: after, status: args.status ?? undefined });
      return toCursorConnection(page.items, page.hasMore, 'subscriptions', byId);
    },
  },
  Charge: {
    __resolveReference(reference: { id: string }, { loaders }: Context) {
      return loaders.charge.load(reference.id);
    },
    customer(charge: Charge, _: unknown, { loaders }: Context) {
      return charge.customerId ? loaders.customer.load(charge.customerId) : null;
    },
  },
  Customer: {
    __resolveReference(reference: { id: string }, { loaders }: Context) {
      return loaders.customer.load(reference.id);
    },
    async charges(customer: Customer, args: PageArgs, { loaders }: Context) {
      const { limit, after } = cursorWindow({ first: args.first ?? 10, after: args.after }, 'charges');
      const page = await loaders.charges({ limit, startingAfter: after, createdGte: undefined, customerId: customer.id });
      return toCursorConnection(page.items, page.hasMore, 'charges', byId);
    },
    async subscriptions(customer: Customer, _: unknown, { loaders }: Context) {
      const page = await loaders.subscriptions({ limit: CUSTOMER_SUBSCRIPTIONS_LIMIT, startingAfter: undefined, status: 'all', customerId: customer.id });
      return page.items;
    },
  },
  BillingSubscription: {
    customer(subscription: Subscription, _: unknown, { loaders }: Context) {
      return subscription.customerId ? loaders.customer.load(subscription.customerId) : null;
    },
  },
};

/** An ISO 8601 date or date-time as Stripe's unix seconds. */
function unixSeconds(value: string, argument: string): number {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw badUserInput(`${argument} must be an ISO 8601 date or date-time, got ${JSON.stringify(value.slice(0, 40))}.`, argument);
  return Math.floor(time / 1000);
}
