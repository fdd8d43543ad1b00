/**
 * Days as the Data API reads and reports them, in the property's time zone (the sandbox's
 * properties report in UTC): request dates `YYYY-MM-DD`, `today`, `yesterday`, `NdaysAgo`;
 * dimension values `date` YYYYMMDD, `year` YYYY, `month` 01..12 and `week` 01..53, where
 * weeks start on Sunday and January 1st is always in week 01.
 */

const DAY_MS = 86_400_000;

/** A request date as `YYYY-MM-DD`, or undefined when it is none of the accepted forms. */
export function resolveRequestDate(value: string, now: number): string | undefined {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  if (value === 'today') return isoDay(today);
  if (value === 'yesterday') return isoDay(today - DAY_MS);
  const ago = /^(\d{1,5})daysAgo$/.exec(value);
  if (ago) return isoDay(today - Number(ago[1]) * DAY_MS);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const time = Date.parse(`${value}T00:00:00Z`);
  // Round-tripping rejects days that do not exist (2026-02-30).
  return !Number.isNaN(time) && isoDay(time) === value ? value : undefined;
}

/** Every day from start to end, both included. */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(`${start}T00:00:00Z`); time <= Date.parse(`${end}T00:00:00Z`); time += DAY_MS) days.push(isoDay(time));
  return days;
}

/** Days in a range, both ends included. */
export function dayCount(start: string, end: string): number {
  return (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS + 1;
}

/** The time dimensions' values of one day. */
export function timeDimensions(day: string): { date: string; year: string; month: string; week: string } {
  const time = Date.parse(`${day}T00:00:00Z`);
  const year = day.slice(0, 4);
  const januaryFirst = Date.parse(`${year}-01-01T00:00:00Z`);
  const dayOfYear = (time - januaryFirst) / DAY_MS;
  const week = Math.floor((dayOfYear + new Date(januaryFirst).getUTCDay()) / 7) + 1;
  return { date: day.replaceAll('-', ''), year, month: day.slice(5, 7), week: String(week).padStart(2, '0') };
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
