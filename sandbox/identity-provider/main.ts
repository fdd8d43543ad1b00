/** Runs the identity provider sandbox on its own: `node sandbox/identity-provider/main.ts`. */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import { identityOptions } from './options.ts';
import { startIdentityProvider } from './server.ts';

const sandbox = await startIdentityProvider(identityOptions(loadSettings()));
stopOnSignal(() => sandbox.close());
console.log(`Identity provider sandbox listening on ${sandbox.url} (issuer ${sandbox.issuer})`);
