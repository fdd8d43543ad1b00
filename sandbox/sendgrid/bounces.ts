/**
 * Deterministic seed of the bounce suppression list (GET /v3/suppression/bounces): about 120
 * addresses bounced over the 180 days before the start of the current UTC day.
 */
import { seededRandom } from '../kit/seeded-random.ts';

/** One bounce as SendGrid lists it; `created` in unix seconds. */
export interface Bounce {
  created: number;
  email: string;
  reason: string;
  status: string;
}

export const BOUNCE_COUNT = 120;

const DAY = 86_400;
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'plant-ops.example'];
const USERS = ['ops', 'alerts', 'maintenance', 'finance', 'site', 'shift', 'eng', 'noc'];
const CAUSES = [
  { status: '5.1.1', reason: "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos." },
  { status: '5.1.1', reason: '550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual alias table' },
  { status: '5.2.2', reason: '552 5.2.2 The email account that you tried to reach is over quota.' },
  { status: '5.7.1', reason: '550 5.7.1 Message rejected due to local policy.' },
  { status: '5.4.4', reason: '554 5.4.4 Unable to route: no mail hosts for domain.' },
] as const;

/** The seed; `now` in milliseconds (defaults to the current time). */
export function createBounces(now: number = Date.now()): Bounce[] {
  const anchor = Math.floor(now / 1000 / DAY) * DAY;
  const random = seededRandom(4103);
  return Array.from({ length: BOUNCE_COUNT }, (_, i) => {
    const email = `${random.pick(USERS)}.${i + 1}@${random.pick(DOMAINS)}`;
    const cause = random.pick(CAUSES);
    return { created: anchor - random.int(1, 180 * DAY), email, reason: cause.reason.replace('{email}', email), status: cause.status };
  }).sort((a, b) => b.created - a.created || a.email.localeCompare(b.email));
}
