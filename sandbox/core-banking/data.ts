/**
 * The core banking sandbox's seeded records. Everything is derived from the record number,
 * so every run (and every test) sees the same institutions, members, accounts and
 * calendars; any other id is unknown.
 *
 * - inst-001..inst-003 are ACTIVE, inst-004 SUSPENDED, inst-005 INACTIVE.
 * - acc-001..acc-030 are OPEN at inst-001; acc-031..acc-040 are closed, frozen or elsewhere.
 * - Members mem-001..mem-050 mix ACTIVE, INACTIVE and SUSPENDED across the institutions.
 * - Each institution has calendars cal-2025, cal-2026 and cal-2027.
 */
import { bankHolidays, type Holiday } from './holidays.ts';

export type InstitutionStatus = 'ACTIVE' | 'SUSPENDED' | 'INACTIVE';
export type MemberStatus = 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
export type AccountStatus = 'OPEN' | 'FROZEN' | 'CLOSED';

/** A financial institution on the platform. */
export interface Institution {
  readonly id: string;
  readonly name: string;
  readonly sponsorId: string;
  readonly status: InstitutionStatus;
  readonly routingNumber: string;
}

/** A member (customer) of an institution. */
export interface Member {
  readonly id: string;
  readonly institutionId: string;
  readonly status: MemberStatus;
  readonly fullName: string;
  readonly email: string;
}

/** One entry of an account's status history. */
export interface StatusChange {
  readonly status: AccountStatus;
  /** ISO timestamp. */
  readonly at: string;
}

/** A deposit account. */
export interface Account {
  readonly id: string;
  readonly institutionId: string;
  readonly status: AccountStatus;
  readonly accountNumber: string;
  readonly routingNumber: string;
  /** Minor units (cents). */
  readonly balance: { readonly amount: number; readonly currency: 'USD' };
  /** Oldest first; the last entry is the current status. */
  readonly history: readonly StatusChange[];
  readonly lastUpdated: string;
}

/** The non-business days of one institution for one year. */
export interface HolidayCalendar {
  readonly calendarId: string;
  readonly institutionId: string;
  readonly holidays: readonly Holiday[];
}

const CALENDAR_YEARS = [2025, 2026, 2027];
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const INSTITUTIONS: readonly Institution[] = [
  { id: 'inst-001', name: 'Harborview Credit Union', sponsorId: 'spn-001', status: 'ACTIVE', routingNumber: routingNumber('21100017') },
  { id: 'inst-002', name: 'Prairie State Bank', sponsorId: 'spn-002', status: 'ACTIVE', routingNumber: routingNumber('10100029') },
  { id: 'inst-003', name: 'Summit Ridge Savings', sponsorId: 'spn-001', status: 'ACTIVE', routingNumber: routingNumber('32100031') },
  { id: 'inst-004', name: 'Lakeshore Federal', sponsorId: 'spn-003', status: 'SUSPENDED', routingNumber: routingNumber('07100043') },
  { id: 'inst-005', name: 'Old Mill Trust Company', sponsorId: 'spn-002', status: 'INACTIVE', routingNumber: routingNumber('05300057') },
];

// Institution-specific closing days on top of the federal calendar.
const EXTRA_HOLIDAYS: Readonly<Record<string, readonly { month: number; day: number; name: string }[]>> = {
  'inst-002': [{ month: 3, day: 2, name: 'State Founders Day' }],
  'inst-003': [{ month: 12, day: 24, name: 'Christmas Eve' }],
};

const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Imani', 'Jonas'];
const LAST_NAMES = ['Okafor', 'Lindqvist', 'Moreau', 'Patel', 'Reyes'];

const byId = <T extends { id: string }>(records: readonly T[]) => new Map(records.map((record) => [record.id, record]));

const institutions = byId(INSTITUTIONS);
const members = byId(Array.from({ length: 50 }, (_, i) => makeMember(i + 1)));
const accounts = byId(Array.from({ length: 40 }, (_, i) => makeAccount(i + 1)));
const calendars = new Map(
  INSTITUTIONS.flatMap((institution) =>
    CALENDAR_YEARS.map((year): [string, HolidayCalendar] => {
      const calendar = { calendarId: `cal-${year}`, institutionId: institution.id, holidays: bankHolidays(year, EXTRA_HOLIDAYS[institution.id]) };
      return [calendarKey(institution.id, calendar.calendarId), calendar];
    }),
  ),
);

/** The seeded institution with this id (inst-001..inst-005). */
export function findInstitution(id: string): Institution | undefined {
  return institutions.get(id);
}

/** The seeded member with this id (mem-001..mem-050). */
export function findMember(id: string): Member | undefined {
  return members.get(id);
}

/** The seeded account with this id (acc-001..acc-040). */
export function findAccount(id: string): Account | undefined {
  return accounts.get(id);
}

/** An institution's holiday calendar (cal-2025..cal-2027). */
export function findHolidayCalendar(institutionId: string, calendarId: string): HolidayCalendar | undefined {
  return calendars.get(calendarKey(institutionId, calendarId));
}

function calendarKey(institutionId: string, calendarId: string): string {
  return `${institutionId}/${calendarId}`;
}

function pad(n: number): string {
  return String(n).padStart(3, '0');
}

/** mem-001..030 at inst-001, then 10 at inst-002, 5 at inst-003, 3 at inst-004, 2 at inst-005. */
function makeMember(n: number): Member {
  const institutionNumber = n <= 30 ? 1 : n <= 40 ? 2 : n <= 45 ? 3 : n <= 48 ? 4 : 5;
  const status: MemberStatus = n % 11 === 0 ? 'SUSPENDED' : n % 7 === 0 ? 'INACTIVE' : 'ACTIVE';
  const first = FIRST_NAMES[(n - 1) % FIRST_NAMES.length] as string;
  const last = LAST_NAMES[Math.floor((n - 1) / FIRST_NAMES.length) % LAST_NAMES.length] as string;
  return {
    id: `mem-${pad(n)}`,
    institutionId: `inst-${pad(institutionNumber)}`,
    status,
    fullName: `${first} ${last}`,
    email: `${first}.${last}.${pad(n)}@example.com`.toLowerCase(),
  };
}

/** acc-031..034 closed, 035..037 frozen (all at inst-001), 038..040 open at other institutions. */
function makeAccount(n: number): Account {
  const institutionId = n <= 37 ? 'inst-001' : `inst-00${n - 36}`;
  const status: AccountStatus = n <= 30 || n >= 38 ? 'OPEN' : n <= 34 ? 'CLOSED' : 'FROZEN';
  const opened = new Date(Date.UTC(2023, 0, 1) + n * 5 * DAY_MS);
  const history: StatusChange[] = [{ status: 'OPEN', at: opened.toISOString() }];
  if (status !== 'OPEN') history.push({ status, at: new Date(opened.getTime() + 400 * DAY_MS + n * HOUR_MS).toISOString() });
  return {
    id: `acc-${pad(n)}`,
    institutionId,
    status,
    // 12 digits, distinct per account.
    accountNumber: String(400_000_000_000 + n * 7_919_331),
    routingNumber: (institutions.get(institutionId) as Institution).routingNumber,
    balance: { amount: status === 'CLOSED' ? 0 : (n * 1_234_567) % 5_000_000, currency: 'USD' },
    history,
    lastUpdated: (history.at(-1) as StatusChange).at,
  };
}

/** Eight digits plus the ABA check digit (weights 3, 7, 1), so the numbers pass validation. */
function routingNumber(first8: string): string {
  const weights = [3, 7, 1, 3, 7, 1, 3, 7];
  const sum = [...first8].reduce((total, digit, i) => total + Number(digit) * (weights[i] as number), 0);
  return `${first8}${(10 - (sum % 10)) % 10}`;
}
