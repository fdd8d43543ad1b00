/** Who may read what in the payments subgraph, and what is masked without pii:read. */
import type { PermissionTable } from '../kit/permissions.ts';

export const paymentPermissions: PermissionTable = {
  requires: {
    Query: 'payments:read',
    Balance: 'payments:read',
    Money: 'payments:read',
    Charge: 'payments:read',
    Customer: 'payments:read',
    BillingSubscription: 'payments:read',
    ChargeConnection: 'payments:read',
    ChargeEdge: 'payments:read',
    CustomerConnection: 'payments:read',
    CustomerEdge: 'payments:read',
    BillingSubscriptionConnection: 'payments:read',
    BillingSubscriptionEdge: 'payments:read',
    PageInfo: 'public',
  },
  masked: {
    'Customer.email': { kind: 'email', owner: (customer) => ({ type: 'Customer', id: String(customer.id) }) },
    'Customer.phone': { kind: 'phone', owner: (customer) => ({ type: 'Customer', id: String(customer.id) }) },
    'Charge.receiptEmail': { kind: 'email', owner: (charge) => ({ type: 'Charge', id: String(charge.id) }) },
    // Merchants write what they like into descriptions, contact details included.
    'Charge.description': { kind: 'freeText', owner: (charge) => ({ type: 'Charge', id: String(charge.id) }) },
  },
};
