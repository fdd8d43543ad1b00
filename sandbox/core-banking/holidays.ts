/**
 * Bank holiday calendars: the US federal banking holidays of a year (fixed dates and "nth
 * weekday of the month" rules), computed so every year comes out the same on every run.
 */

/** One non-business day. */
export interface Holiday {
  /** ISO date, YYYY-MM-DD. */
  readonly date: string;
  readonly name: string;
}

const MONDAY = 1;
const THURSDAY = 4;

/** The federal holidays banks close on in `year`, in date order, plus any extras given. */
export function bankHolidays(year: number, extras: readonly { month: number; day: number; name: string }[] = []): Holiday[] {
  const holidays: Holiday[] = [
    { date: isoDate(year, 1, 1), name: "New Year's Day" },
    { date: nthWeekday(year, 1, MONDAY, 3), name: 'Martin Luther King Jr. Day' },
    { date: nthWeekday(year, 2, MONDAY, 3), name: "Washington's Birthday" },
    { date: lastWeekday(year, 5, MONDAY), name: 'Memorial Day' },
    { date: isoDate(year, 6, 19), name: 'Juneteenth' },
    { date: isoDate(year, 7, 4), name: 'Independence Day' },
    { date: nthWeekday(year, 9, MONDAY, 1), name: 'Labor Day' },
    { date: nthWeekday(year, 10, MONDAY, 2), name: 'Columbus Day' },
    { date: isoDate(year, 11, 11), name: 'Veterans Day' },
    { date: nthWeekday(year, 11, THURSDAY, 4), name: 'Thanksgiving Day' },
    { date: isoDate(year, 12, 25), name: 'Christmas Day' },
    ...extras.map((extra) => ({ date: isoDate(year, extra.month, extra.day), name: extra.name })),
  ];
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** The nth (1-based) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): string {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const firstMatch = 1 + ((weekday - firstWeekday + 7) % 7);
  return isoDate(year, month, firstMatch + (nth - 1) * 7);
}

function lastWeekday(year: number, month: number, weekday: number): string {
  const lastDay = new Date(Date.UTC(year, month, 0));
  const back = (lastDay.getUTCDay() - weekday + 7) % 7;
  return isoDate(year, month, lastDay.getUTCDate() - back);
}
