/**
 * CPU per warm plants-dashboard request, everything in this one process: through the gateway
 * (gateway and plants subgraph together), and sent to the plants subgraph directly with an
 * internal token (the subgraph tier alone). Cache warm, upstream not called.
 * `node bench/subgraph-cpu.ts` (BENCH_REQUESTS 600, BENCH_CONCURRENCY 10).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scopesFor } from '../kit/roles.ts';
import { internalTokens } from '../kit/internal-token.ts';
import { setLogLevel } from '../kit/logger.ts';
import { loadOrCreateSigningKey } from '../sandbox/identity-provider/keys.ts';
import { mintToken } from '../sandbox/identity-provider/mint.ts';
import { startStack } from '../scripts/stack.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 600);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);

async function cpuPerRequest(send: () => Promise<Response>): Promise<{ cpuMs: number; wallMs: number }> {
  for (let i = 0; i < 50; i += 1) await (await send()).arrayBuffer(); // warm: cache, JIT
  const cpu = process.cpuUsage();
  const started = performance.now();
  let left = requests;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const response = await send();
        if (!response.ok) throw new Error(`status ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / requests, wallMs: (performance.now() - started) / requests };
}

setLogLevel('error');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-bench-'));
const stack = await startStack({
  ephemeral: true,
  env: { DATA_DIR: dataDir, KEY_PREFIX: `bench-${randomUUID()}:`, LOG_LEVEL: 'error', PLANT_API_HEALTH_PROBE_MS: '3600000', RATE_LIMIT_PLANS: 'basic=1000000000/1000000000' },
});
try {
  const query = await readFile(new URL('../schema/operations/plants-dashboard.graphql', import.meta.url), 'utf8');
  const body = JSON.stringify({ query, variables: {} });
  const key = await loadOrCreateSigningKey(dataDir);
  const token = await mintToken({ key, issuer: stack.settings.auth.issuer, audience: stack.settings.auth.audience, role: 'VIEWER', ttlSeconds: 3600 });
  const viaGateway = () => fetch(stack.gateway!.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const internal = await internalTokens(stack.settings).sign({ subject: 'bench', roles: ['VIEWER'], scopes: scopesFor(['VIEWER']), plan: 'basic', expiresAt: 0 }, randomUUID());
  const direct = () => fetch(stack.subgraphs.get('plants')!.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${internal}` }, body });
  for (const [name, send] of [['gateway + plants', viaGateway], ['plants subgraph alone', direct]] as const) {
    const rounds = [];
    for (let round = 0; round < 3; round += 1) rounds.push(await cpuPerRequest(send));
    const best = rounds.sort((a, b) => a.cpuMs - b.cpuMs)[1]!;
    console.log(`${name.padEnd(24)} cpu ${best.cpuMs.toFixed(2)} ms/request (median of 3 x ${requests}), wall ${best.wallMs.toFixed(2)} ms/request at ${concurrency} in flight`);
  }
} finally {
  await stack.close();
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
