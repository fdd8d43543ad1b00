/** Runs this sandbox on its own: `node sandbox/sendgrid/main.ts` (on the port its subgraph's settings give it). */
import { runStandIn } from '../kit/run-stand-in.ts';
import { sendGridStandIn } from './stand-in.ts';

await runStandIn(sendGridStandIn);
