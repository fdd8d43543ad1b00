/** Runs the SendGrid sandbox on its own: `node sandbox/sendgrid/main.ts` (SENDGRID_PORT, SENDGRID_API_KEY). */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import { sendGridOptions } from '../options.ts';
import { startSendGrid } from './server.ts';

const sandbox = await startSendGrid(sendGridOptions(loadSettings()));
stopOnSignal(() => sandbox.close());
console.log(`SendGrid sandbox listening on ${sandbox.url}`);
