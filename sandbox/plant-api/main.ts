/** Runs this sandbox on its own: `node sandbox/plant-api/main.ts` (on the port its subgraph's settings give it). */
import { runStandIn } from '../kit/run-stand-in.ts';
import { plantApiStandIn } from './stand-in.ts';

await runStandIn(plantApiStandIn);
