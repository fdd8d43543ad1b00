/**
 * The core banking (CBP) sandbox: mutual TLS with its own CA, OAuth2 client credentials for
 * the institution, member and account routes, and an API key for the calendar route
 * (UPSTREAMS.md, "Core banking").
 */
import { ClientCredentialsIssuer } from '../kit/client-credentials.ts';
import { json, Router, type RouteHandler, type SandboxRequest, type SandboxResponse } from '../kit/router.ts';
import { startSandbox, type Faults, type RunningSandbox } from '../kit/sandbox-server.ts';
import { checkApiKey } from './api-key.ts';
import { findAccount, findHolidayCalendar, findInstitution } from './data.ts';
import { loadOrCreatePki, type Pki } from './pki.ts';
import { validateAccount, validateInstitution, validateMember } from './validations.ts';
import { errorBody, errorResponse, isResponse, readStringFields } from './wire.ts';

export interface CoreBankingOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Where the PKI is loaded from, or made at first use. */
  pkiDir: string;
  clientId: string;
  clientSecret: string;
  /** The calendar route's `X-API-Key`. */
  apiKey: string;
  tokenTtlSeconds: number;
  faults?: Partial<Faults>;
}

/** A running core banking sandbox and the PKI its clients need (CA, client certificate). */
export type RunningCoreBanking = RunningSandbox & { readonly pki: Pki };

/**
 * Starts the sandbox over HTTPS. The handshake itself refuses clients without a certificate
 * signed by the sandbox CA, so every route (admin included) needs the client certificate.
 */
export async function startCoreBanking(options: CoreBankingOptions): Promise<RunningCoreBanking> {
  const pki = await loadOrCreatePki(options.pkiDir);
  const { clientId, clientSecret, tokenTtlSeconds } = options;
  const issuer = new ClientCredentialsIssuer({ clientId, clientSecret, tokenTtlSeconds });
  const withToken = (handler: RouteHandler): RouteHandler => (request) => bearerFailure(issuer, request) ?? handler(request);

  const routes = issuer
    .mount(new Router())
    .on('POST', '/api/institution/validate', withToken(institutionValidate))
    .on('POST', '/api/member/validate', withToken(memberValidate))
    .on('POST', '/api/account/validate', withToken(accountValidate))
    .on('GET', '/api/account/status', withToken(accountStatus))
    .on('POST', '/api/calendar/sync', (request) => checkApiKey(request, options.apiKey) ?? calendarSync(request));

  const sandbox = await startSandbox({
    name: 'core-banking',
    ...(options.host ? { host: options.host } : {}),
    port: options.port,
    routes,
    ...(options.faults ? { faults: options.faults } : {}),
    onReset: () => issuer.reset(),
    errorBody: (_status, code, message) => errorBody(code, message),
    tls: {
      cert: pki.server.cert,
      key: pki.server.key,
      ca: pki.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
  });
  return Object.assign(sandbox, { pki });
}

/** The issuer's 401, restated in this API's `{errors}` format. */
function bearerFailure(issuer: ClientCredentialsIssuer, request: SandboxRequest): SandboxResponse | undefined {
  if (!issuer.check(request)) return undefined;
  const response = errorResponse(401, 'INVALID_TOKEN', 'Missing, unknown or expired access token');
  return { ...response, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } };
}

function institutionValidate(request: SandboxRequest): SandboxResponse {
  const fields = readStringFields(request.body, ['institutionId', 'sponsorId']);
  if (isResponse(fields)) return fields;
  return json(200, validateInstitution(fields.institutionId, fields.sponsorId));
}

function memberValidate(request: SandboxRequest): SandboxResponse {
  const fields = readStringFields(request.body, ['memberId', 'institutionId']);
  if (isResponse(fields)) return fields;
  return json(200, validateMember(fields.memberId, fields.institutionId));
}

function accountValidate(request: SandboxRequest): SandboxResponse {
  const fields = readStringFields(request.body, ['accountId', 'institutionId']);
  if (isResponse(fields)) return fields;
  return json(200, validateAccount(fields.accountId, fields.institutionId));
}

function accountStatus(request: SandboxRequest): SandboxResponse {
  const accountId = request.query.get('accountId') ?? '';
  const institutionId = request.query.get('institutionId') ?? '';
  if (!accountId || !institutionId) return errorResponse(400, 'BAD_REQUEST', 'Query parameters accountId and institutionId are required');
  const account = findAccount(accountId);
  // An account at another institution is as unknown as a missing one to this caller.
  if (!account || account.institutionId !== institutionId) {
    return errorResponse(404, 'ACCOUNT_NOT_FOUND', `No account ${accountId} at institution ${institutionId}`);
  }
  return json(200, { status: account.status, lastUpdated: account.lastUpdated, history: account.history });
}

function calendarSync(request: SandboxRequest): SandboxResponse {
  const fields = readStringFields(request.body, ['calendarId', 'institutionId']);
  if (isResponse(fields)) return fields;
  if (!findInstitution(fields.institutionId)) return errorResponse(404, 'INSTITUTION_NOT_FOUND', `No institution ${fields.institutionId}`);
  const calendar = findHolidayCalendar(fields.institutionId, fields.calendarId);
  if (!calendar) return errorResponse(404, 'CALENDAR_NOT_FOUND', `No calendar ${fields.calendarId} for institution ${fields.institutionId}`);
  return json(200, { status: 'SYNCED', holidays: calendar.holidays });
}
