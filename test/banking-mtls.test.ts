/**
 * Mutual TLS towards the core banking platform: the sandbox refuses a handshake without a
 * client certificate or with one its CA did not sign, and a banking subgraph configured with
 * such a certificate answers UPSTREAM_UNAVAILABLE without ever reaching the API.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent } from 'undici';
import { makeRogueClientCertificate } from '../sandbox/core-banking/pki.ts';
import { sandboxRequests, startTestStack, type TestStack } from './support/stack.ts';
import { removeDir } from './support/temp-dir.ts';

describe('banking over mutual TLS with a certificate the platform does not trust', () => {
  let stack: TestStack;
  let rogueDir: string;
  let rogue: { cert: string; key: string };

  beforeAll(async () => {
    rogueDir = await mkdtemp(path.join(os.tmpdir(), 'fil-rogue-'));
    rogue = await makeRogueClientCertificate();
    const certFile = path.join(rogueDir, 'client.crt');
    const keyFile = path.join(rogueDir, 'client.key');
    await writeFile(certFile, rogue.cert);
    await writeFile(keyFile, rogue.key, { mode: 0o600 });
    stack = await startTestStack({
      env: {
        CORE_BANKING_CERT_FILE: certFile,
        CORE_BANKING_KEY_FILE: keyFile,
        CORE_BANKING_RETRY_INITIAL_DELAY_MS: '5',
        CORE_BANKING_RETRY_MAX_DELAY_MS: '20',
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await removeDir(rogueDir);
  });

  /** One request to the sandbox presenting the given certificate (or none). */
  async function handshake(certificate: { cert: string; key: string } | undefined): Promise<number> {
    const agent = new Agent({ connect: { ca: stack.coreBanking.pki.ca, ...certificate } });
    try {
      const response = await fetch(`${stack.coreBanking.url}/__admin/stats`, { dispatcher: agent } as RequestInit);
      await response.body?.cancel();
      return response.status;
    } finally {
      await agent.close();
    }
  }

  it('is refused by the sandbox without a client certificate', async () => {
    await expect(handshake(undefined)).rejects.toThrow();
  });

  it('is refused by the sandbox with a client certificate from another CA', async () => {
    await expect(handshake(rogue)).rejects.toThrow();
  });

  it('is accepted with the client certificate the sandbox issued', async () => {
    expect(await handshake(stack.coreBanking.pki.client)).toBe(200);
  });

  it('answers UPSTREAM_UNAVAILABLE through the gateway, and nothing reaches the API', async () => {
    const token = await stack.token('ADMIN');
    const read = await stack.query(`{ account(id: "acc-001", institutionId: "inst-001") { id accountNumber } }`, { token });
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual({ account: null });
    expect(read.body.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);

    const check = await stack.query(`mutation { validateAccount(input: { accountId: "acc-001", institutionId: "inst-001" }) { valid } }`, { token });
    expect(check.body.data).toEqual({ validateAccount: null });
    expect(check.body.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);

    expect(await sandboxRequests(stack.coreBanking.url, { dispatcher: stack.coreBankingAgent })).toBe(0);
  });
});
