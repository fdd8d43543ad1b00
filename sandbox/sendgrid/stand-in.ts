/** The SendGrid sandbox stands in for the email-stats subgraph's upstream, with the subgraph's key. */
import { emailStatsSettings } from '../../subgraphs/email-stats/settings.ts';
import { defineStandIn, faultsOf } from '../kit/stand-in.ts';
import type { RateLimitOptions } from './rate-limit-window.ts';
import { startSendGrid } from './server.ts';

export const sendGridStandIn = defineStandIn({
  name: 'sendgrid',
  portSetting: 'SENDGRID_PORT',
  title: 'SendGrid',
  subgraph: emailStatsSettings,
  port: (config) => config.sandboxPort,
  start: (config, options) => {
    // Tests narrow the rate-limit window (extra: { rateLimit }).
    const rateLimit = options.extra?.rateLimit as RateLimitOptions | undefined;
    return startSendGrid({ host: options.host, port: options.port, apiKey: config.apiKey, ...faultsOf(options), ...(rateLimit ? { rateLimit } : {}) });
  },
  pointAt: (running) => ({ SENDGRID_URL: running.url }),
});
