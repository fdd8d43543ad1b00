/** How the dashboard writes times, numbers and intervals. */

export function formatTime(value: string | Date | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function formatInterval(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

export function formatPercent(rate: number | null | undefined): string {
  return rate == null ? '–' : `${(rate * 100).toFixed(1)} %`;
}

/** YYYY-MM-DD of a day `daysAgo` before today (UTC), as the email stats take them. */
export function isoDay(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}
