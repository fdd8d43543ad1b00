/** Runs this sandbox on its own: `node sandbox/google-analytics/main.ts` (on the port its subgraph's settings give it). */
import { runStandIn } from '../kit/run-stand-in.ts';
import { googleAnalyticsStandIn } from './stand-in.ts';

await runStandIn(googleAnalyticsStandIn);
