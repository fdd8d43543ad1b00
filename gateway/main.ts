/** Runs the gateway on its own: `node gateway/main.ts`. */
import { loadSettings } from '../config/settings.ts';
import { stopOnSignal } from '../kit/lifecycle.ts';
import { configureLogging } from '../kit/logger.ts';
import { startGateway } from './server.ts';

const settings = loadSettings();
configureLogging({ level: settings.logLevel, format: settings.logFormat });
const gateway = await startGateway(settings);
stopOnSignal(() => gateway.close());
console.log(`gateway listening on ${gateway.url}`);
