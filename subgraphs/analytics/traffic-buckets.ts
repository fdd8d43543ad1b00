/**
 * The buckets of a traffic range as Google Analytics keys them: a day by `date` (YYYYMMDD),
 * a week by `year` + `week` (weeks start on Sunday, January 1st always opens week 01), a
 * month by `year` + `month`. Computed here so every bucket of the range is answered, those
 * GA4 leaves out for having no traffic included, each dated by its first day in the range.
 */
const DAY_MS = 86_400_000;

export type TrafficPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface BucketSlot {
  /** The bucket's dimension values joined, as `bucketKeyOfRow` builds them. */
  key: string;
  /** Its first day within the range, YYYY-MM-DD. */
  date: string;
}

/** The GA4 dimensions that identify a bucket of each period, in key order. */
export const BUCKET_DIMENSIONS: Readonly<Record<TrafficPeriod, readonly string[]>> = {
  DAY: ['date'],
  WEEK: ['year', 'week'],
  MONTH: ['year', 'month'],
};

/** Every bucket from `from` to `to` (YYYY-MM-DD, both included), in order. */
export function bucketSlots(from: string, to: string, by: TrafficPeriod): BucketSlot[] {
  const slots: BucketSlot[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += DAY_MS) {
    const date = new Date(time).toISOString().slice(0, 10);
    const key = keyOfDay(date, by);
    if (slots.at(-1)?.key !== key) slots.push({ key, date });
  }
  return slots;
}

/** A report row's bucket key from its dimension values by name. */
export function bucketKeyOfRow(values: Readonly<Record<string, string>>, by: TrafficPeriod): string {
  return BUCKET_DIMENSIONS[by].map((name) => values[name] ?? '').join('');
}

function keyOfDay(date: string, by: TrafficPeriod): string {
  const year = date.slice(0, 4);
  if (by === 'DAY') return date.replaceAll('-', '');
  if (by === 'MONTH') return year + date.slice(5, 7);
  const januaryFirst = new Date(`${year}-01-01T00:00:00Z`);
  // Days since the Sunday on or before January 1st, in whole weeks, counted from 1.
  const sinceSunday = (Date.parse(`${date}T00:00:00Z`) - januaryFirst.getTime()) / DAY_MS + januaryFirst.getUTCDay();
  return year + String(Math.floor(sinceSunday / 7) + 1).padStart(2, '0');
}
