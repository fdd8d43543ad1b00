/**
 * The Stripe objects the sandbox serves, typed as subsets of the official `stripe` package
 * types so a misspelt field or a wrong value type fails the type check. Each keeps the
 * fields a connector reads; Stripe's other fields are left out.
 */
import type Stripe from 'stripe';

/** A card charge; `customer` is an id until expanded. */
export type SandboxCharge = Pick<
  Stripe.Charge,
  | 'id' | 'object' | 'amount' | 'amount_captured' | 'amount_refunded' | 'application' | 'application_fee'
  | 'application_fee_amount' | 'balance_transaction' | 'calculated_statement_descriptor' | 'captured'
  | 'created' | 'currency' | 'description' | 'disputed' | 'failure_balance_transaction' | 'failure_code'
  | 'failure_message' | 'fraud_details' | 'livemode' | 'metadata' | 'on_behalf_of' | 'paid' | 'payment_intent'
  | 'payment_method' | 'receipt_email' | 'receipt_number' | 'receipt_url' | 'refunded' | 'review' | 'shipping'
  | 'source_transfer' | 'statement_descriptor' | 'statement_descriptor_suffix' | 'status' | 'transfer_data'
  | 'transfer_group'
> & {
  customer: string | SandboxCustomer | null;
  billing_details: Stripe.Charge.BillingDetails;
  outcome: Pick<Stripe.Charge.Outcome, 'network_status' | 'reason' | 'risk_level' | 'risk_score' | 'seller_message' | 'type'>;
  payment_method_details: {
    type: 'card';
    card: Pick<
      Stripe.Charge.PaymentMethodDetails.Card,
      'brand' | 'country' | 'exp_month' | 'exp_year' | 'fingerprint' | 'funding' | 'last4' | 'network'
    > & { checks: Stripe.Charge.PaymentMethodDetails.Card.Checks };
  };
};

export type SandboxCustomer = Pick<
  Stripe.Customer,
  | 'id' | 'object' | 'address' | 'balance' | 'created' | 'currency' | 'default_source' | 'delinquent'
  | 'description' | 'discount' | 'email' | 'invoice_prefix' | 'livemode' | 'metadata' | 'name'
  | 'next_invoice_sequence' | 'phone' | 'preferred_locales' | 'shipping' | 'tax_exempt' | 'test_clock'
> & {
  invoice_settings: Pick<Stripe.Customer.InvoiceSettings, 'custom_fields' | 'default_payment_method' | 'footer'>;
};

export type SandboxPrice = Pick<
  Stripe.Price,
  | 'id' | 'object' | 'active' | 'billing_scheme' | 'created' | 'currency' | 'livemode' | 'lookup_key'
  | 'metadata' | 'nickname' | 'recurring' | 'tax_behavior' | 'tiers_mode' | 'transform_quantity' | 'type'
  | 'unit_amount'
> & { product: string };

/** Since API version 2025-03-31 the current period lives on each item, not on the subscription. */
export type SandboxSubscriptionItem = Pick<
  Stripe.SubscriptionItem,
  | 'id' | 'object' | 'billing_thresholds' | 'created' | 'current_period_end' | 'current_period_start'
  | 'discounts' | 'metadata' | 'quantity' | 'subscription' | 'tax_rates'
> & { price: SandboxPrice };

export interface SandboxList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
  total_count?: number;
}

export type SandboxSubscription = Pick<
  Stripe.Subscription,
  | 'id' | 'object' | 'application' | 'application_fee_percent' | 'billing_cycle_anchor' | 'cancel_at'
  | 'cancel_at_period_end' | 'canceled_at' | 'cancellation_details' | 'collection_method' | 'created'
  | 'currency' | 'days_until_due' | 'default_payment_method' | 'default_source' | 'description'
  | 'discounts' | 'ended_at' | 'latest_invoice' | 'livemode' | 'metadata' | 'next_pending_invoice_item_invoice'
  | 'on_behalf_of' | 'pause_collection' | 'pending_setup_intent' | 'pending_update' | 'schedule'
  | 'start_date' | 'status' | 'test_clock' | 'transfer_data' | 'trial_end' | 'trial_start'
> & {
  customer: string | SandboxCustomer;
  items: SandboxList<SandboxSubscriptionItem>;
};

export type SandboxBalance = Pick<Stripe.Balance, 'object' | 'livemode'> & {
  available: Array<Pick<Stripe.Balance.Available, 'amount' | 'currency' | 'source_types'>>;
  pending: Array<Pick<Stripe.Balance.Pending, 'amount' | 'currency' | 'source_types'>>;
};
