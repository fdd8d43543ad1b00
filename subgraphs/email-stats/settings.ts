/** The email-stats subgraph's settings: SendGrid v3 with an API key (defaults: the SendGrid sandbox). */
import { defineSubgraphSettings, type SettingsOf } from '../../config/subgraph-settings.ts';
import { MINUTE, readPolicy } from '../../config/upstream-policy.ts';

export const emailStatsSettings = defineSubgraphSettings({
  name: 'email-stats',
  port: 4003,
  read: (env, { local }) => {
    const sandboxPort = env.int('SENDGRID_PORT', 4103, { min: 0, max: 65535 });
    return {
      sandboxPort,
      url: env.url('SENDGRID_URL', local(sandboxPort)),
      // The sandbox's made-up key (sandbox/sendgrid/server.ts checks it).
      apiKey: env.secret('SENDGRID_API_KEY', 'SG.sandbox-plantops.local-dev-key-not-a-secret'),
      policy: readPolicy(env, 'SENDGRID', { cacheTtlMs: 5 * MINUTE, quotaPerMinute: 50 }),
    };
  },
  requiredInProduction: ['SENDGRID_URL', 'SENDGRID_API_KEY'],
  upstreamUrls: (settings) => ({ SENDGRID_URL: settings.url }),
});

export type EmailStatsSettings = SettingsOf<typeof emailStatsSettings>;
