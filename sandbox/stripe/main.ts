/** Runs this sandbox on its own: `node sandbox/stripe/main.ts` (on the port its subgraph's settings give it). */
import { runStandIn } from '../kit/run-stand-in.ts';
import { stripeStandIn } from './stand-in.ts';

await runStandIn(stripeStandIn);
