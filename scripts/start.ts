/** `npm start`: the whole system on loopback with embedded defaults, until Ctrl-C. */
import { stopOnSignal } from '../kit/lifecycle.ts';
import { configureLogging } from '../kit/logger.ts';
import { loadSettings } from '../config/settings.ts';
import { DASHBOARD_PATH, EXPLORER_PATH } from '../gateway/web/routes.ts';
import { startStack } from './stack.ts';

const pageUrl = (graphqlUrl: string, path: string) => new URL(path, graphqlUrl).href;

const settings = loadSettings();
configureLogging({ level: settings.logLevel, format: settings.logFormat });
const stack = await startStack();

const rows: [string, string][] = [
  ['gateway (GraphQL + Apollo Sandbox)', stack.gateway?.url ?? '-'],
  ['dashboard', stack.gateway ? pageUrl(stack.gateway.url, DASHBOARD_PATH) : '-'],
  ['explorer (works offline)', stack.gateway && settings.mode !== 'production' ? pageUrl(stack.gateway.url, EXPLORER_PATH) : '-'],
  ...[...stack.subgraphs].map(([name, running]): [string, string] => [`subgraph ${name}`, running.url]),
  ['identity provider (sandbox)', stack.identity.url],
  ...[...stack.sandboxes.values()].map(({ standIn, running }): [string, string] => [`${standIn.title} (sandbox)`, running.url]),
];
const width = Math.max(...rows.map(([name]) => name.length));
console.log('Federated integration layer is up:');
for (const [name, url] of rows) console.log(`  ${name.padEnd(width)}  ${url}`);
console.log('Get a token: npm run --silent token -- VIEWER   (or ANALYST, OPERATOR, AUDITOR, ADMIN)');
console.log(`Embedded state: ${settings.dataDir}${settings.redisUrl ? ' + Redis' : ''}${settings.databaseUrl ? ' + PostgreSQL' : ''}`);

stopOnSignal(async () => {
  console.log('stopping...');
  await stack.close();
});
