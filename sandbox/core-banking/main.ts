/**
 * Runs the core banking sandbox on its own: `node sandbox/core-banking/main.ts`.
 * The PKI is made under DATA_DIR at first start.
 */
import { runStandIn } from '../kit/run-stand-in.ts';
import { coreBankingStandIn } from './stand-in.ts';

await runStandIn(coreBankingStandIn, (running) => `mutual TLS; CA and client certificate in ${running.pki.dir}`);
