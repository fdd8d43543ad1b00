/**
 * The core banking platform (UPSTREAMS.md, "Core banking"), typed: every exchange over
 * mutual TLS (client certificate and CA from settings), OAuth2 client credentials for the
 * institution, member and account routes, and an `X-API-Key` for the calendar route.
 * Answers are mapped to the subgraph's own shapes here and nowhere else.
 */
import { readFile } from 'node:fs/promises';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici-types';
import type { BankingSettings } from './settings.ts';
import { apiKeyHeader, clientCredentials } from '../kit/client-credentials.ts';
import { createHttpClient } from '../kit/http-client.ts';
import { metrics } from '../../kit/metrics.ts';
import { UpstreamError } from '../kit/upstream-error.ts';

export const CORE_BANKING_API = 'core-banking';

export type InstitutionStatus = 'ACTIVE' | 'SUSPENDED' | 'INACTIVE';
export type MemberStatus = 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
export type AccountStatus = 'OPEN' | 'FROZEN' | 'CLOSED';

export interface Institution {
  id: string;
  name: string;
  sponsorId: string;
  status: InstitutionStatus;
}

export interface Member {
  id: string;
  institutionId: string;
  status: MemberStatus;
  fullName: string;
  email: string;
}

export interface Account {
  id: string;
  institutionId: string;
  status: AccountStatus;
  accountNumber: string;
  routingNumber: string;
  /** Minor units. */
  balance: { amount: number; currency: string };
}

export interface StatusChange {
  status: AccountStatus;
  at: string;
}

export interface AccountStatusHistory {
  status: AccountStatus;
  lastUpdated: string;
  /** Oldest first. */
  history: StatusChange[];
}

export interface Holiday {
  /** YYYY-MM-DD. */
  date: string;
  name: string;
}

/** One problem the platform found, as it reports it. */
export interface ValidationProblem {
  code: string;
  message: string;
}

/**
 * A validation answer. The platform returns a known record even when a check fails (so a
 * caller can show why); record is null only when it does not know the id.
 */
export interface Validation<R> {
  valid: boolean;
  errors: ValidationProblem[];
  record: R | null;
}

export interface CoreBankingApi {
  validateInstitution(input: { institutionId: string; sponsorId: string }, signal: AbortSignal): Promise<Validation<Institution>>;
  validateMember(input: { memberId: string; institutionId: string }, signal: AbortSignal): Promise<Validation<Member>>;
  validateAccount(input: { accountId: string; institutionId: string }, signal: AbortSignal): Promise<Validation<Account>>;
  /** Null when the platform does not know the account at that institution. */
  accountStatus(input: { accountId: string; institutionId: string }, signal: AbortSignal): Promise<AccountStatusHistory | null>;
  /** Null when the platform has no calendar for that institution and year. */
  holidays(input: { institutionId: string; year: number }, signal: AbortSignal): Promise<Holiday[] | null>;
  /** Closes the mutual-TLS connections. */
  close(): Promise<void>;
}

interface WireValidation {
  valid: boolean;
  errors?: ValidationProblem[] | null;
}

/** Reads the client certificate, its key and the CA named in settings; the message names a missing file. */
async function readPki(config: BankingSettings): Promise<{ ca: string; cert: string; key: string }> {
  const read = async (file: string, setting: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`core banking: cannot read ${setting}=${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const [ca, cert, key] = await Promise.all([
    read(config.caFile, 'CORE_BANKING_CA_FILE'),
    read(config.certFile, 'CORE_BANKING_CERT_FILE'),
    read(config.keyFile, 'CORE_BANKING_KEY_FILE'),
  ]);
  return { ca, cert, key };
}

export async function createCoreBankingApi(config: BankingSettings): Promise<CoreBankingApi> {
  // Mutual TLS at the version the platform asks for (1.3; production refuses less, config/settings.ts).
  const agent = new Agent({ connect: { ...(await readPki(config)), minVersion: config.minTlsVersion } });
  const dispatcher: Dispatcher = agent;
  const common = { api: CORE_BANKING_API, baseUrl: config.url, timeoutMs: config.policy.timeoutMs, dispatcher, onExchange: metrics.observeExchange };
  const accounts = createHttpClient({
    ...common,
    auth: clientCredentials({
      api: CORE_BANKING_API,
      tokenUrl: `${config.url}/oauth/token`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      timeoutMs: config.policy.timeoutMs,
      dispatcher,
    }),
  });
  const calendars = createHttpClient({ ...common, auth: apiKeyHeader('X-API-Key', config.apiKey) });

  async function validate<R>(path: string, json: object, recordKey: string, signal: AbortSignal): Promise<Validation<R>> {
    const { body } = await accounts.request<WireValidation & Record<string, unknown>>({ method: 'POST', path, json, signal });
    return { valid: body.valid === true, errors: body.errors ?? [], record: (body[recordKey] as R | null | undefined) ?? null };
  }

  return {
    async validateInstitution({ institutionId, sponsorId }, signal) {
      const answer = await validate<Institution>('/api/institution/validate', { institutionId, sponsorId }, 'institution', signal);
      const record = answer.record;
      return { ...answer, record: record && { id: record.id, name: record.name, sponsorId: record.sponsorId, status: record.status } };
    },
    async validateMember({ memberId, institutionId }, signal) {
      const answer = await validate<Member>('/api/member/validate', { memberId, institutionId }, 'member', signal);
      const r = answer.record;
      return { ...answer, record: r && { id: r.id, institutionId: r.institutionId, status: r.status, fullName: r.fullName, email: r.email } };
    },
    async validateAccount({ accountId, institutionId }, signal) {
      const answer = await validate<Account>('/api/account/validate', { accountId, institutionId }, 'account', signal);
      const r = answer.record;
      return {
        ...answer,
        record: r && {
          id: r.id,
          institutionId: r.institutionId,
          status: r.status,
          accountNumber: r.accountNumber,
          routingNumber: r.routingNumber,
          balance: { amount: r.balance.amount, currency: r.balance.currency },
        },
      };
    },
    async accountStatus({ accountId, institutionId }, signal) {
      const body = await nullWhenNotFound(
        accounts.request<{ status: AccountStatus; lastUpdated: string; history?: StatusChange[] }>({
          path: '/api/account/status',
          query: { accountId, institutionId },
          signal,
        }),
      );
      return body && { status: body.status, lastUpdated: body.lastUpdated, history: (body.history ?? []).map(({ status, at }) => ({ status, at })) };
    },
    async holidays({ institutionId, year }, signal) {
      const body = await nullWhenNotFound(
        calendars.request<{ holidays?: Holiday[] }>({ method: 'POST', path: '/api/calendar/sync', json: { calendarId: calendarId(year), institutionId }, signal }),
      );
      return body && (body.holidays ?? []).map(({ date, name }) => ({ date, name }));
    },
    close: () => agent.close(),
  };
}

/** The platform names each institution's yearly calendar `cal-<year>`. */
function calendarId(year: number): string {
  return `cal-${year}`;
}

async function nullWhenNotFound<T>(request: Promise<{ body: T }>): Promise<T | null> {
  try {
    return (await request).body;
  } catch (error) {
    if (error instanceof UpstreamError && error.failure === 'not_found') return null;
    throw error;
  }
}
