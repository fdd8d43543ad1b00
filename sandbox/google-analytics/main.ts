/** Runs the Google Analytics sandbox on its own: `node sandbox/google-analytics/main.ts` (GOOGLE_ANALYTICS_PORT). */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import { googleAnalyticsOptions } from '../options.ts';
import { startGoogleAnalytics } from './server.ts';

const sandbox = await startGoogleAnalytics(googleAnalyticsOptions(loadSettings()));
stopOnSignal(() => sandbox.close());
console.log(`Google Analytics sandbox listening on ${sandbox.url}`);
