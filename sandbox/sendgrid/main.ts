/**
 * Runs the SendGrid sandbox on its own: `node sandbox/sendgrid/main.ts`.
 * SENDGRID_PORT (default 4103) and SENDGRID_API_KEY (default the sandbox key).
 */
import { loadSettings } from '../../config/settings.ts';
import { SENDGRID_SANDBOX_API_KEY, startSendGrid } from './server.ts';

const settings = loadSettings();
const sandbox = await startSendGrid({
  host: settings.host,
  port: settings.ports.sendgrid,
  apiKey: process.env.SENDGRID_API_KEY || SENDGRID_SANDBOX_API_KEY,
});
console.log(`SendGrid sandbox listening on ${sandbox.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
