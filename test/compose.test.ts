/**
 * docker-compose.yml deploys the topology `npm run cluster` starts, as the compose client
 * itself reads it (Debian's docker-compose; no Docker engine is needed to check a file):
 * every service of the cluster with the same entry point, one environment the settings
 * accept, each gateway replica behind the load balancer, each service scraped by Prometheus.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadSettings } from '../config/settings.ts';
import { GATEWAY_NODE_ARGS } from '../gateway/heap-budget.ts';
import { clusterServices } from '../scripts/cluster-services.ts';
import { REPOSITORY_ROOT } from '../scripts/processes.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import { readSubgraphSettings, subgraphUrlOverride } from '../config/subgraph-settings.ts';
import { plantsSettings } from '../subgraphs/plants/settings.ts';

const run = promisify(execFile);

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  image?: string;
  healthcheck?: { test: string[] };
}

async function composeConfig(): Promise<{ services: Record<string, ComposeService> }> {
  try {
    const { stdout } = await run('docker-compose', ['--profile', 'sandboxes', 'config'], { cwd: REPOSITORY_ROOT, env: { ...process.env, NODE_ENV: '', POSTGRES_PASSWORD: '' } });
    return parse(stdout) as { services: Record<string, ComposeService> };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error("docker-compose is not installed: Debian's docker-compose package has it (apt-get install docker-compose; .ci/run installs it)");
    throw error;
  }
}

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
/** The port a service's health check asks, which is the one it listens on. */
const portOf = (service: ComposeService) => (service.healthcheck?.test.find((arg) => arg.startsWith('http://127.0.0.1:')) ?? '').match(/:(\d+)\//)?.[1];

describe('docker-compose.yml', () => {
  let services: Record<string, ComposeService>;
  const cluster = clusterServices(loadSettings({ NODE_ENV: 'test' }));
  beforeAll(async () => {
    services = (await composeConfig()).services;
  });

  it('runs every service the cluster command starts, with the same entry point and Node flags (the gateway heap limit)', () => {
    for (const service of cluster) expect([service.name, services[service.name]?.command]).toEqual([service.name, ['node', ...(service.nodeArgs ?? []), service.main]]);
    expect(cluster.filter((service) => service.tier === 'gateway').every((service) => service.nodeArgs === GATEWAY_NODE_ARGS)).toBe(true);
    expect(read('Dockerfile')).toContain(`CMD ${JSON.stringify(['node', ...GATEWAY_NODE_ARGS, 'gateway/main.ts']).replaceAll(',', ', ')}`);
    expect(cluster.map((service) => service.name)).toEqual(expect.arrayContaining(SUBGRAPHS.filter(({ name }) => name !== 'audit').map(({ name }) => name)));
  });

  it('keeps the sandboxes in a profile of their own, and Redis, PostgreSQL, the load balancer and Prometheus beside the services', () => {
    for (const service of cluster) expect([service.name, services[service.name]?.profiles ?? []]).toEqual([service.name, service.tier === 'sandbox' ? ['sandboxes'] : []]);
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['redis', 'postgres', 'load-balancer', 'prometheus']));
  });

  it('gives every service of the image one environment the settings accept, and refuses the sandbox secrets in production', () => {
    const environments = cluster.map((service) => services[service.name]?.environment ?? {});
    const shared = ({ AUDIT_CONSUMER_NAME: _own, ...rest }: Record<string, string>) => rest;
    for (const environment of environments) expect(shared(environment)).toEqual(shared(environments[0]!));
    expect(environments[0]).toMatchObject({ NODE_ENV: 'production', REDIS_URL: 'redis://redis:6379', HOST: '0.0.0.0' });

    const settings = loadSettings({ ...environments[0], NODE_ENV: 'development' });
    // Each subgraph's URL names the compose service that runs it.
    for (const { name } of SUBGRAPHS) {
      const host = new URL(subgraphUrlOverride(settings, name)!).hostname;
      expect([name, services[host]?.command?.at(-1)]).toEqual([name, `subgraphs/${name}/main.ts`]);
    }
    expect(() => loadSettings(environments[0])).toThrow(/NODE_ENV=production: these settings must be set: INTERNAL_TOKEN_SECRET, METRICS_TOKEN/);
    const sharedSecrets = { INTERNAL_TOKEN_SECRET: 'x'.repeat(40), METRICS_TOKEN: 'metrics', AUTH_ISSUER: 'https://login.example' };
    expect(() => readSubgraphSettings(plantsSettings, loadSettings({ ...environments[0], ...sharedSecrets }))).toThrow(/NODE_ENV=production: these settings must be set: .*PLANT_API_CLIENT_SECRET/);
  });

  it('puts every gateway replica behind the load balancer, passing WebSocket upgrades and unbuffered Server-Sent Events', () => {
    const nginx = read('deploy/nginx/nginx.conf');
    const gateways = cluster.filter((service) => service.tier === 'gateway').map((service) => `${service.name}:${portOf(services[service.name]!)}`);
    expect([...nginx.matchAll(/^\s*server (\S+:\d+)/gm)].map((match) => match[1])).toEqual(gateways);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/location = \/graphql\/stream \{[^}]*proxy_buffering off;/);
  });

  it('has Prometheus scrape every service that can be scraped, with the project’s rules', async () => {
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    // Core banking answers mutual TLS only.
    const scrapable = cluster.filter((service) => service.name !== 'core-banking');
    expect(targets.sort()).toEqual(scrapable.map((service) => `${service.name}:${portOf(services[service.name]!)}`).sort());
    expect(prometheus.rule_files).toEqual(['alerts.yml']);
    // Syntax only: the token file exists inside the container alone (the rules are checked by alert-rules.test.ts).
    await run('promtool', ['check', 'config', '--syntax-only', 'deploy/prometheus/prometheus.yml'], { cwd: REPOSITORY_ROOT });
  });
});
