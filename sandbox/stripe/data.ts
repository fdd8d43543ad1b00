/**
 * Deterministic seed for the Stripe sandbox: customers, card charges over the last 90 days,
 * subscriptions and the balance they add up to. The same `now` gives the same objects, ids
 * included; times are anchored to the start of the UTC day so a dev server and its tests
 * agree within a day.
 */
import { seededRandom, type SeededRandom } from '../kit/seeded-random.ts';
import type {
  SandboxBalance,
  SandboxCharge,
  SandboxCustomer,
  SandboxPrice,
  SandboxSubscription,
  SandboxSubscriptionItem,
} from './objects.ts';

/** Everything the Stripe sandbox serves. */
export interface StripeData {
  readonly customers: readonly SandboxCustomer[];
  readonly charges: readonly SandboxCharge[];
  readonly subscriptions: readonly SandboxSubscription[];
  readonly balance: SandboxBalance;
}

export const SEED_COUNTS = { customers: 60, charges: 150, subscriptions: 40 } as const;

const DAY = 86_400;
/** Charges settle into `available` after this many days; younger ones are `pending`. */
const PAYOUT_DELAY_DAYS = 7;

const FIRST_NAMES = ['Ada', 'Bruno', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kira', 'Luca', 'Maya', 'Nils', 'Olga', 'Pablo'];
const LAST_NAMES = ['Novak', 'Schmidt', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Costa', 'Hughes', 'Ivanova', 'Rossi', 'Keller', 'Duarte'];
const CITIES = [
  { city: 'Berlin', country: 'DE', state: null, postal: '10115' },
  { city: 'Lyon', country: 'FR', state: null, postal: '69002' },
  { city: 'Austin', country: 'US', state: 'TX', postal: '78701' },
  { city: 'Portland', country: 'US', state: 'OR', postal: '97205' },
  { city: 'Toronto', country: 'CA', state: 'ON', postal: 'M5V 2T6' },
  { city: 'Madrid', country: 'ES', state: null, postal: '28013' },
] as const;
const STREETS = ['Main St', 'Harbour Rd', 'Elm Ave', 'Station Sq', 'Mill Ln', 'Park Blvd'];
const CARD_BRANDS = ['visa', 'mastercard', 'amex'] as const;
const DESCRIPTIONS = ['Monitoring add-on', 'Annual support plan', 'Sensor pack', 'Setup fee', 'Overage: data points', 'Consulting hours'];
const PLANS = [
  { nickname: 'Starter', unitAmount: 1900, interval: 'month' },
  { nickname: 'Pro', unitAmount: 4900, interval: 'month' },
  { nickname: 'Enterprise', unitAmount: 199_000, interval: 'year' },
] as const;

/** Builds the seed; `now` is in milliseconds (defaults to the current time). */
export function createStripeData(now: number = Date.now()): StripeData {
  const anchor = Math.floor(now / 1000 / DAY) * DAY;
  const random = seededRandom(4102);
  const customers = Array.from({ length: SEED_COUNTS.customers }, (_, i) => makeCustomer(random, i, anchor));
  const charges = makeCharges(random, customers, anchor);
  const prices = PLANS.map((plan, i) => makePrice(random, plan, anchor - (400 + i) * DAY));
  const subscriptions = Array.from({ length: SEED_COUNTS.subscriptions }, () =>
    makeSubscription(random, random.pick(customers).id, random.pick(prices), anchor),
  );
  return { customers, charges, subscriptions, balance: balanceOf(charges, anchor) };
}

function makeCustomer(random: SeededRandom, index: number, anchor: number): SandboxCustomer {
  const first = FIRST_NAMES[index % FIRST_NAMES.length] as string;
  const last = LAST_NAMES[(index * 7) % LAST_NAMES.length] as string;
  const place = random.pick(CITIES);
  return {
    id: `cus_${random.token(14)}`,
    object: 'customer',
    address: {
      city: place.city,
      country: place.country,
      line1: `${random.int(1, 240)} ${random.pick(STREETS)}`,
      line2: null,
      postal_code: place.postal,
      state: place.state,
    },
    balance: 0,
    created: anchor - random.int(95, 720) * DAY - random.int(0, DAY - 1),
    currency: place.country === 'US' || place.country === 'CA' ? 'usd' : 'eur',
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    // The index keeps emails unique although names repeat.
    email: `${first}.${last}${index}@example.com`.toLowerCase(),
    invoice_prefix: random.token(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null },
    livemode: false,
    metadata: {},
    name: `${first} ${last}`,
    next_invoice_sequence: random.int(1, 30),
    phone: `+1555${String(random.int(0, 9_999_999)).padStart(7, '0')}`,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

function makeCharges(random: SeededRandom, customers: readonly SandboxCustomer[], anchor: number): SandboxCharge[] {
  const charges: SandboxCharge[] = [];
  for (let i = 0; i < SEED_COUNTS.charges; i += 1) {
    const previous = charges[i - 1];
    // Every 25th charge shares its timestamp with the one before, so the id tie-break is exercised.
    const created = previous && i % 25 === 0 ? previous.created : anchor - random.int(1, 90 * DAY);
    charges.push(makeCharge(random, random.pick(customers), created));
  }
  return charges;
}

function makeCharge(random: SeededRandom, customer: SandboxCustomer, created: number): SandboxCharge {
  const roll = random.next();
  const status = roll < 0.8 ? 'succeeded' : roll < 0.9 ? 'pending' : 'failed';
  const failed = status === 'failed';
  const currency = random.next() < 0.85 ? 'usd' : 'eur';
  const amount = random.int(5, 500) * 100 + random.pick([0, 0, 50, 99]);
  const brand = random.pick(CARD_BRANDS);
  const id = `ch_${random.token(24)}`;
  return {
    id,
    object: 'charge',
    amount,
    amount_captured: failed ? 0 : amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: failed ? null : `txn_${random.token(24)}`,
    billing_details: {
      address: customer.address ?? null,
      email: customer.email,
      name: customer.name ?? null,
      phone: customer.phone ?? null,
      tax_id: null,
    },
    calculated_statement_descriptor: 'PLANTOPS',
    captured: !failed,
    created,
    currency,
    customer: customer.id,
    description: random.pick(DESCRIPTIONS),
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failed ? 'card_declined' : null,
    failure_message: failed ? 'Your card was declined.' : null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      network_status: failed ? 'declined_by_network' : 'approved_by_network',
      reason: failed ? 'generic_decline' : null,
      risk_level: 'normal',
      risk_score: random.int(0, 60),
      seller_message: failed ? 'The bank did not return any further details with this decline.' : 'Payment complete.',
      type: failed ? 'issuer_declined' : 'authorized',
    },
    paid: status === 'succeeded',
    payment_intent: `pi_${random.token(24)}`,
    payment_method: `pm_${random.token(24)}`,
    payment_method_details: {
      type: 'card',
      card: {
        brand,
        checks: { address_line1_check: 'pass', address_postal_code_check: 'pass', cvc_check: 'pass' },
        country: customer.address?.country ?? 'US',
        exp_month: random.int(1, 12),
        exp_year: random.int(2027, 2031),
        fingerprint: random.token(16),
        funding: random.pick(['credit', 'credit', 'debit']),
        last4: String(random.int(0, 9999)).padStart(4, '0'),
        network: brand,
      },
    },
    receipt_email: customer.email,
    receipt_number: null,
    receipt_url: failed ? null : `https://pay.stripe.com/receipts/payment/${id}`,
    refunded: false,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
  };
}

function makePrice(random: SeededRandom, plan: (typeof PLANS)[number], created: number): SandboxPrice {
  return {
    id: `price_${random.token(24)}`,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: 'usd',
    livemode: false,
    lookup_key: plan.nickname.toLowerCase(),
    metadata: {},
    nickname: plan.nickname,
    product: `prod_${random.token(14)}`,
    recurring: { interval: plan.interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'exclusive',
    tiers_mode: null,
    transform_quantity: null,
    type: 'recurring',
    unit_amount: plan.unitAmount,
  };
}

function makeSubscription(random: SeededRandom, customerId: string, price: SandboxPrice, anchor: number): SandboxSubscription {
  const roll = random.next();
  const status = roll < 0.55 ? 'active' : roll < 0.7 ? 'past_due' : roll < 0.85 ? 'trialing' : 'canceled';
  const id = `sub_${random.token(24)}`;
  const created = anchor - random.int(20, 400) * DAY - random.int(0, DAY - 1);
  const periodStart = anchor - random.int(0, 27) * DAY - random.int(0, DAY - 1);
  const periodEnd = addInterval(periodStart, price.recurring?.interval === 'year' ? 'year' : 'month');
  const canceledAt = status === 'canceled' ? periodStart - random.int(1, 20) * DAY : null;
  const trialStart = status === 'trialing' ? periodStart : null;
  const item: SandboxSubscriptionItem = {
    id: `si_${random.token(14)}`,
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: periodEnd,
    current_period_start: periodStart,
    discounts: [],
    metadata: {},
    price,
    quantity: random.int(1, 5),
    subscription: id,
    tax_rates: [],
  };
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    billing_cycle_anchor: created,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: canceledAt,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: canceledAt ? 'cancellation_requested' : null },
    collection_method: 'charge_automatically',
    created,
    currency: price.currency,
    customer: customerId,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    description: null,
    discounts: [],
    ended_at: canceledAt,
    items: { object: 'list', data: [item], has_more: false, total_count: 1, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: `in_${random.token(24)}`,
    livemode: false,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: created,
    status,
    test_clock: null,
    transfer_data: null,
    trial_end: trialStart === null ? null : trialStart + 14 * DAY,
    trial_start: trialStart,
  };
}

function addInterval(unixSeconds: number, interval: 'month' | 'year'): number {
  const date = new Date(unixSeconds * 1000);
  if (interval === 'year') date.setUTCFullYear(date.getUTCFullYear() + 1);
  else date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}

/** Net of a card fee (2.9% + 30 minor units), like a balance transaction. */
function netOf(amount: number): number {
  return amount - Math.round(amount * 0.029 + 30);
}

/** Succeeded charges older than the payout delay are available; younger ones pending. */
function balanceOf(charges: readonly SandboxCharge[], anchor: number): SandboxBalance {
  const available = new Map<string, number>();
  const pending = new Map<string, number>();
  for (const charge of charges) {
    if (charge.status !== 'succeeded') continue;
    const bucket = charge.created < anchor - PAYOUT_DELAY_DAYS * DAY ? available : pending;
    bucket.set(charge.currency, (bucket.get(charge.currency) ?? 0) + netOf(charge.amount));
  }
  const entries = (totals: Map<string, number>) =>
    ['usd', 'eur'].map((currency) => ({ amount: totals.get(currency) ?? 0, currency, source_types: { card: totals.get(currency) ?? 0 } }));
  return { object: 'balance', available: entries(available), pending: entries(pending), livemode: false };
}
