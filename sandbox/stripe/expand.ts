/**
 * Stripe's `expand`: replacing the `customer` id of a charge or subscription with the
 * customer object. Lists take `data.customer`, single objects `customer`; any other path is
 * refused as Stripe refuses unknown expansions.
 */
import { invalidParam } from './errors.ts';
import type { SandboxCustomer } from './objects.ts';

interface HasCustomer {
  customer: string | SandboxCustomer | null;
}

/**
 * Whether the one `supported` path (if any) is asked for; throws Stripe's error for any
 * other path.
 */
export function wantsExpansion(paths: readonly string[], supported?: 'customer' | 'data.customer'): boolean {
  for (const path of paths) {
    if (path !== supported) throw invalidParam('expand', `This property cannot be expanded (${path}).`);
  }
  return paths.length > 0;
}

/** A copy with the customer object in place of its id (unchanged when there is none). */
export function withCustomer<T extends HasCustomer>(object: T, customers: ReadonlyMap<string, SandboxCustomer>): T {
  if (typeof object.customer !== 'string') return object;
  const customer = customers.get(object.customer);
  return customer ? { ...object, customer } : object;
}
