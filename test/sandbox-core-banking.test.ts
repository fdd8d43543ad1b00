/**
 * The core banking sandbox over real mutual TLS: the handshake gate, the token and API key
 * gates, every route's answers, the PKI files, and the shared admin surface.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, stat } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreatePki, makeRogueClientCertificate } from '../sandbox/core-banking/pki.ts';
import { startCoreBanking, type RunningCoreBanking } from '../sandbox/core-banking/server.ts';
import { removeDir } from './support/temp-dir.ts';

const CLIENT_ID = 'banking-subgraph';
const CLIENT_SECRET = 'test-secret';
const API_KEY = 'test-calendar-key';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

interface CallOptions {
  body?: string | object;
  headers?: Record<string, string>;
  /** The client certificate to present; null presents none. Default: the sandbox's own. */
  clientCertificate?: { cert: string; key: string } | null;
}

let pkiDir: string;
let sandbox: RunningCoreBanking;
let token: string;

/** One HTTPS request on a fresh connection (no agent), trusting only the sandbox CA. */
function call(method: string, route: string, options: CallOptions = {}): Promise<Answer> {
  const certificate = options.clientCertificate === undefined ? sandbox.pki.client : options.clientCertificate;
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      new URL(route, sandbox.url),
      {
        method,
        agent: false,
        ca: sandbox.pki.ca,
        ...(certificate ? { cert: certificate.cert, key: certificate.key } : {}),
        headers: { ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : undefined });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const authorized = (body: object | string) => ({ body, headers: { Authorization: `Bearer ${token}` } });

async function fetchToken(): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  const answer = await call('POST', '/oauth/token', { body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  expect(answer.status).toBe(200);
  return answer.body.access_token as string;
}

beforeAll(async () => {
  pkiDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'core-banking-test-')), 'pki');
  sandbox = await startCoreBanking({ port: 0, pkiDir, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiKey: API_KEY, tokenTtlSeconds: 60 });
  token = await fetchToken();
});

afterAll(async () => {
  await sandbox?.close();
  if (pkiDir) await removeDir(path.dirname(pkiDir));
});

describe('PKI', () => {
  it('writes the PEM files, keys readable by the owner only', async () => {
    const { paths } = sandbox.pki;
    for (const file of [paths.ca, paths.serverCert, paths.clientCert]) expect((await stat(file)).isFile()).toBe(true);
    for (const key of [paths.serverKey, paths.clientKey]) expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect(sandbox.pki.ca).toContain('BEGIN CERTIFICATE');
    expect(createPrivateKey(sandbox.pki.client.key).asymmetricKeyType).toBe('ec');
  });

  it('loads the same certificates on a later call', async () => {
    const again = await loadOrCreatePki(pkiDir);
    expect(again.ca).toBe(sandbox.pki.ca);
    expect(again.server).toEqual(sandbox.pki.server);
    expect(again.client).toEqual(sandbox.pki.client);
  });
});

describe('mutual TLS', () => {
  it('refuses a client without a certificate in the handshake', async () => {
    await expect(call('POST', '/oauth/token', { clientCertificate: null, body: 'grant_type=client_credentials' })).rejects.toThrow();
  });

  it('refuses a client certificate signed by another CA', async () => {
    const rogue = await makeRogueClientCertificate();
    await expect(call('POST', '/oauth/token', { clientCertificate: rogue, body: 'grant_type=client_credentials' })).rejects.toThrow();
  });

  it('serves a client with the sandbox client certificate', async () => {
    const answer = await call('GET', '/__admin/stats');
    expect(answer.status).toBe(200);
  });
});

describe('OAuth2 client credentials', () => {
  it('issues a bearer token', async () => {
    expect(token).toMatch(/^[\w-]{20,}$/);
  });

  it('rejects a wrong client secret', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'wrong' });
    const answer = await call('POST', '/oauth/token', { body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(answer.status).toBe(401);
  });

  it.each([
    ['POST', '/api/institution/validate'],
    ['POST', '/api/member/validate'],
    ['POST', '/api/account/validate'],
    ['GET', '/api/account/status?accountId=acc-001&institutionId=inst-001'],
  ])('%s %s needs the token', async (method, route) => {
    const body = method === 'POST' ? {} : undefined; // a GET body without a length would be a second request
    const missing = await call(method, route, { body });
    expect(missing.status).toBe(401);
    expect(missing.body.errors[0].code).toBe('INVALID_TOKEN');
    const unknown = await call(method, route, { body, headers: { Authorization: 'Bearer not-a-token' } });
    expect(unknown.status).toBe(401);
  });
});

describe('POST /api/institution/validate', () => {
  const validate = (body: object | string) => call('POST', '/api/institution/validate', authorized(body));

  it('accepts an active institution with its sponsor', async () => {
    const answer = await validate({ institutionId: 'inst-001', sponsorId: 'spn-001' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      valid: true,
      institution: { id: 'inst-001', name: expect.any(String), sponsorId: 'spn-001', status: 'ACTIVE' },
      errors: [],
    });
  });

  it.each([
    ['inst-001', 'spn-999', 'SPONSOR_MISMATCH'],
    ['inst-004', 'spn-003', 'INSTITUTION_SUSPENDED'],
    ['inst-005', 'spn-002', 'INSTITUTION_INACTIVE'],
  ])('rejects %s with sponsor %s: %s', async (institutionId, sponsorId, code) => {
    const answer = await validate({ institutionId, sponsorId });
    expect(answer.status).toBe(200);
    expect(answer.body.valid).toBe(false);
    expect(answer.body.institution.id).toBe(institutionId);
    expect(answer.body.errors.map((error: { code: string }) => error.code)).toEqual([code]);
  });

  it('reports an unknown institution with a null record', async () => {
    const answer = await validate({ institutionId: 'inst-999', sponsorId: 'spn-001' });
    expect(answer.body).toEqual({ valid: false, institution: null, errors: [{ code: 'INSTITUTION_NOT_FOUND', message: expect.any(String) }] });
  });

  it.each([['{not json'], ['[]'], [{ institutionId: 'inst-001' }], [{ institutionId: 7, sponsorId: 'spn-001' }]])('answers 400 to %j', async (body) => {
    const answer = await validate(body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].code).toBe('BAD_REQUEST');
  });
});

describe('POST /api/member/validate', () => {
  const validate = (body: object | string) => call('POST', '/api/member/validate', authorized(body));

  it('accepts an active member of the institution', async () => {
    const answer = await validate({ memberId: 'mem-001', institutionId: 'inst-001' });
    expect(answer.body).toEqual({
      valid: true,
      member: { id: 'mem-001', institutionId: 'inst-001', status: 'ACTIVE', fullName: expect.any(String), email: expect.stringContaining('@') },
      errors: [],
    });
  });

  it.each([
    ['mem-001', 'inst-002', 'INSTITUTION_MISMATCH'],
    ['mem-007', 'inst-001', 'MEMBER_INACTIVE'],
    ['mem-011', 'inst-001', 'MEMBER_SUSPENDED'],
  ])('rejects %s at %s: %s', async (memberId, institutionId, code) => {
    const answer = await validate({ memberId, institutionId });
    expect(answer.body.valid).toBe(false);
    expect(answer.body.errors.map((error: { code: string }) => error.code)).toEqual([code]);
  });

  it('reports an unknown member with a null record', async () => {
    const answer = await validate({ memberId: 'mem-051', institutionId: 'inst-001' });
    expect(answer.body).toMatchObject({ valid: false, member: null, errors: [{ code: 'MEMBER_NOT_FOUND' }] });
  });

  it('answers 400 to a missing field', async () => {
    const answer = await validate({ memberId: 'mem-001' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('institutionId') });
  });
});

describe('POST /api/account/validate', () => {
  const validate = (body: object | string) => call('POST', '/api/account/validate', authorized(body));

  it('accepts an open account at the institution', async () => {
    const answer = await validate({ accountId: 'acc-001', institutionId: 'inst-001' });
    expect(answer.body.valid).toBe(true);
    expect(answer.body.errors).toEqual([]);
    expect(answer.body.account).toEqual({
      id: 'acc-001',
      institutionId: 'inst-001',
      status: 'OPEN',
      accountNumber: expect.stringMatching(/^\d{12,16}$/),
      routingNumber: expect.stringMatching(/^\d{9}$/),
      balance: { amount: expect.any(Number), currency: 'USD' },
    });
    expect(Number.isInteger(answer.body.account.balance.amount)).toBe(true);
  });

  it('accepts every seeded open account at inst-001', async () => {
    for (let n = 1; n <= 30; n += 1) {
      const answer = await validate({ accountId: `acc-${String(n).padStart(3, '0')}`, institutionId: 'inst-001' });
      expect(answer.body.valid).toBe(true);
    }
  });

  it.each([
    ['acc-031', 'inst-001', 'ACCOUNT_CLOSED'],
    ['acc-035', 'inst-001', 'ACCOUNT_FROZEN'],
    ['acc-038', 'inst-001', 'INSTITUTION_MISMATCH'],
  ])('rejects %s at %s: %s', async (accountId, institutionId, code) => {
    const answer = await validate({ accountId, institutionId });
    expect(answer.body.valid).toBe(false);
    expect(answer.body.account.id).toBe(accountId);
    expect(answer.body.errors.map((error: { code: string }) => error.code)).toEqual([code]);
  });

  it('reports an unknown account with a null record', async () => {
    const answer = await validate({ accountId: 'acc-041', institutionId: 'inst-001' });
    expect(answer.body).toMatchObject({ valid: false, account: null, errors: [{ code: 'ACCOUNT_NOT_FOUND' }] });
  });

  it('answers 400 to malformed JSON', async () => {
    const answer = await validate('{"accountId":');
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].code).toBe('BAD_REQUEST');
  });
});

describe('GET /api/account/status', () => {
  const status = (query: string) => call('GET', `/api/account/status?${query}`, { headers: { Authorization: `Bearer ${token}` } });

  it('answers the status and its history', async () => {
    const answer = await status('accountId=acc-035&institutionId=inst-001');
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('FROZEN');
    expect(answer.body.history.map((change: { status: string }) => change.status)).toEqual(['OPEN', 'FROZEN']);
    expect(answer.body.lastUpdated).toBe(answer.body.history.at(-1).at);
  });

  it('answers 404 for an unknown account or one at another institution', async () => {
    for (const query of ['accountId=acc-999&institutionId=inst-001', 'accountId=acc-038&institutionId=inst-001']) {
      const answer = await status(query);
      expect(answer.status).toBe(404);
      expect(answer.body.errors[0].code).toBe('ACCOUNT_NOT_FOUND');
    }
  });

  it('answers 400 without the query parameters', async () => {
    const answer = await status('accountId=acc-001');
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].code).toBe('BAD_REQUEST');
  });
});

describe('POST /api/calendar/sync', () => {
  /** Sends the right API key unless told another, or none (null). */
  const sync = (body: object | string, apiKey: string | null = API_KEY) =>
    call('POST', '/api/calendar/sync', { body, headers: apiKey === null ? {} : { 'X-API-Key': apiKey } });

  it('answers the holidays of a calendar', async () => {
    const answer = await sync({ calendarId: 'cal-2026', institutionId: 'inst-001' });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('SYNCED');
    expect(answer.body.holidays).toContainEqual({ date: '2026-12-25', name: 'Christmas Day' });
    expect(answer.body.holidays).toContainEqual({ date: '2026-11-26', name: 'Thanksgiving Day' });
    for (const holiday of answer.body.holidays) expect(holiday.date).toMatch(/^2026-\d{2}-\d{2}$/);
  });

  it('answers 401 without the API key or with a wrong one (a bearer token does not do)', async () => {
    for (const key of [null, 'wrong-key']) {
      const answer = await sync({ calendarId: 'cal-2026', institutionId: 'inst-001' }, key);
      expect(answer.status).toBe(401);
      expect(answer.body.errors[0].code).toBe('INVALID_API_KEY');
    }
    const withToken = await call('POST', '/api/calendar/sync', authorized({ calendarId: 'cal-2026', institutionId: 'inst-001' }));
    expect(withToken.status).toBe(401);
  });

  it('answers 404 for an unknown calendar or institution', async () => {
    expect((await sync({ calendarId: 'cal-2030', institutionId: 'inst-001' })).body.errors[0].code).toBe('CALENDAR_NOT_FOUND');
    expect((await sync({ calendarId: 'cal-2026', institutionId: 'inst-999' })).body.errors[0].code).toBe('INSTITUTION_NOT_FOUND');
  });

  it('answers 400 to a malformed body', async () => {
    expect((await sync('nope')).status).toBe(400);
    expect((await sync({ calendarId: 'cal-2026' })).status).toBe(400);
  });
});

describe('admin surface', () => {
  it('injects faults in the API error format, counts requests, and resets', async () => {
    expect((await call('POST', '/__admin/reset')).status).toBe(200);
    token = await fetchToken(); // reset revokes tokens; this is request 1
    const body = { accountId: 'acc-001', institutionId: 'inst-001' };

    expect((await call('POST', '/__admin/faults', { body: { down: true } })).body.down).toBe(true);
    const down = await call('POST', '/api/account/validate', authorized(body));
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ errors: [{ code: 'SERVICE_UNAVAILABLE', message: expect.any(String) }] });

    await call('POST', '/__admin/faults', { body: { down: false, rateLimited: true } });
    const limited = await call('POST', '/api/account/validate', authorized(body));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body.errors[0].code).toBe('RATE_LIMITED');

    await call('POST', '/__admin/faults', { body: { rateLimited: false } });
    expect((await call('POST', '/api/account/validate', authorized(body))).body.valid).toBe(true);
    expect((await call('GET', '/__admin/stats')).body).toEqual({ requests: 4 });

    expect((await call('POST', '/__admin/reset')).status).toBe(200);
    expect((await call('GET', '/__admin/stats')).body).toEqual({ requests: 0 });
    expect((await call('POST', '/api/account/validate', authorized(body))).status).toBe(401);
  });
});
