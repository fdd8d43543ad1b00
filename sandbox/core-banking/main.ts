/**
 * Runs the core banking sandbox on its own: `node sandbox/core-banking/main.ts`.
 * The PKI is made under DATA_DIR at first start.
 */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import { coreBankingOptions } from '../options.ts';
import { startCoreBanking } from './server.ts';

const sandbox = await startCoreBanking(coreBankingOptions(loadSettings()));
stopOnSignal(() => sandbox.close());
console.log(`core-banking sandbox listening on ${sandbox.url} (mutual TLS; CA and client certificate in ${sandbox.pki.dir})`);
