/** Runs the Plant API sandbox on its own: `node sandbox/plant-api/main.ts`. */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import { plantApiOptions } from '../options.ts';
import { startPlantApi } from './server.ts';

const sandbox = await startPlantApi(plantApiOptions(loadSettings()));
stopOnSignal(() => sandbox.close());
console.log(`Plant API sandbox listening on ${sandbox.url}`);
