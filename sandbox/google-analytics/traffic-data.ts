/**
 * Deterministic web traffic of a property: each day's figures per page derive from a seed
 * made of the property id and the date alone, so any report over any range is the same on
 * every run, and totals agree whichever dimensions group them.
 */
import { seededRandom, seedFromString } from '../kit/seeded-random.ts';

/** What one page drew on one day (sessions are those that landed on the page). */
export interface PageDay {
  pagePath: string;
  pageTitle: string;
  sessions: number;
  /** Distinct visitors of the page that day. */
  users: number;
  screenPageViews: number;
  /** Sessions that left without engaging (GA4's bounce: not an engaged session). */
  bouncedSessions: number;
}

/** The site's pages and their share of the traffic. */
export const PAGES: readonly { path: string; title: string; weight: number }[] = [
  { path: '/', title: 'Plant Ops – Home', weight: 100 },
  { path: '/dashboard', title: 'Dashboard', weight: 74 },
  { path: '/plants', title: 'Plants', weight: 61 },
  { path: '/plants/plant-007', title: 'North Ridge Solar', weight: 23 },
  { path: '/plants/plant-012', title: 'Harbor Wind', weight: 19 },
  { path: '/plants/plant-031', title: 'Valley Hydro', weight: 15 },
  { path: '/alerts', title: 'Alerts', weight: 42 },
  { path: '/reports/monthly', title: 'Monthly report', weight: 27 },
  { path: '/reports/compliance', title: 'Compliance report', weight: 11 },
  { path: '/billing', title: 'Billing', weight: 18 },
  { path: '/billing/invoices', title: 'Invoices', weight: 14 },
  { path: '/pricing', title: 'Pricing', weight: 33 },
  { path: '/docs', title: 'Documentation', weight: 38 },
  { path: '/docs/getting-started', title: 'Getting started', weight: 29 },
  { path: '/docs/api', title: 'API reference', weight: 21 },
  { path: '/docs/webhooks', title: 'Webhooks', weight: 9 },
  { path: '/blog', title: 'Blog', weight: 16 },
  { path: '/blog/grid-outages-2026', title: 'What the 2026 grid outages taught us', weight: 12 },
  { path: '/careers', title: 'Careers', weight: 7 },
  { path: '/contact', title: 'Contact us', weight: 10 },
  { path: '/login', title: 'Sign in', weight: 55 },
  { path: '/settings', title: 'Settings', weight: 13 },
  { path: '/status', title: 'System status', weight: 8 },
  { path: '/legal/privacy', title: 'Privacy policy', weight: 4 },
];

/** Every page's figures of one UTC day (`YYYY-MM-DD`) for a property. */
export function trafficOfDay(propertyId: string, day: string): PageDay[] {
  const random = seededRandom(seedFromString(`ga4:${propertyId}:${day}`));
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  // A business tool: fewer visits at weekends.
  const volume = weekday === 0 || weekday === 6 ? 1.2 : 3;
  return PAGES.map(({ path, title, weight }) => {
    const screenPageViews = Math.max(1, Math.round(weight * volume * (0.7 + random.next() * 0.6)));
    const sessions = Math.max(1, Math.ceil(screenPageViews * (0.35 + random.next() * 0.25)));
    const users = Math.max(1, Math.ceil(sessions * (0.75 + random.next() * 0.2)));
    const bouncedSessions = Math.floor(sessions * (0.25 + random.next() * 0.35));
    return { pagePath: path, pageTitle: title, sessions, users, screenPageViews, bouncedSessions };
  });
}
