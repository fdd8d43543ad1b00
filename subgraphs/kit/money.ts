/**
 * The shared `Money` value (`@shareable` in every subgraph that has amounts): minor units,
 * an ISO 4217 currency and one display format, so two subgraphs never format the same
 * amount differently.
 */
export interface Money {
  /** Minor units (cents for USD, yen for JPY). */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** `$1,234.56`, `-€12.00`, `¥1,234`. */
  formatted: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

export function toMoney(amount: number, currency: string): Money {
  const code = currency.toUpperCase();
  let format = formatters.get(code);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    formatters.set(code, format);
  }
  // The currency's own exponent: 2 for USD, 0 for JPY, 3 for KWD.
  const exponent = format.resolvedOptions().maximumFractionDigits ?? 2;
  return { amount, currency: code, formatted: format.format(amount / 10 ** exponent) };
}
