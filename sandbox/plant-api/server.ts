/**
 * The Plant API sandbox: the in-house Plant API's wire format on a local port, with the
 * shared admin surface plus `POST /__admin/plants/<id>` to change a plant and fire its
 * signed change webhook.
 */
import { ClientCredentialsIssuer } from '../kit/client-credentials.ts';
import { json, Router, type SandboxRequest, type SandboxResponse } from '../kit/router.ts';
import { startSandbox, type Faults, type RunningSandbox } from '../kit/sandbox-server.ts';
import { PlantStore } from './plant-store.ts';
import { mountPlantRoutes } from './routes.ts';
import { deliverPlantWebhook } from './webhook.ts';
import { isPlantStatus, PLANT_STATUSES, type PlantStatus } from './wire-format.ts';

export interface PlantApiOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  webhookSecret: string;
  /** Where change webhooks go; without it changes are silent. */
  webhookTarget?: string;
  faults?: Partial<Faults>;
}

export interface RunningPlantApi extends RunningSandbox {
  /** Same as the admin route: changes the plant, then attempts its webhook. Throws on an unknown plant. */
  setPlantStatus(id: string, status: PlantStatus): Promise<void>;
  /** Points change webhooks elsewhere (the subscriber may start after the sandbox). */
  setWebhookTarget(url: string | undefined): void;
}

/** Starts the Plant API sandbox; `port: 0` picks a free port (see `url`). */
export async function startPlantApi(startOptions: PlantApiOptions): Promise<RunningPlantApi> {
  const options = { ...startOptions };
  const store = new PlantStore();
  const { clientId, clientSecret, tokenTtlSeconds } = options;
  const issuer = new ClientCredentialsIssuer({ clientId, clientSecret, tokenTtlSeconds });

  async function changeStatus(id: string, status: PlantStatus): Promise<boolean> {
    const at = new Date();
    if (!store.setStatus(id, status, at)) return false;
    if (options.webhookTarget) {
      await deliverPlantWebhook(options.webhookTarget, options.webhookSecret, { event: 'plant.updated', plant_id: id, at: at.toISOString() });
    }
    return true;
  }

  async function adminSetStatus({ params, body }: SandboxRequest): Promise<SandboxResponse> {
    const id = params.id ?? '';
    const status = parseStatus(body);
    if (status === undefined) {
      return json(400, { error: { code: 'bad_request', message: `Body must be {"status": one of ${PLANT_STATUSES.join(', ')}}` } });
    }
    if (!(await changeStatus(id, status))) return json(404, { error: { code: 'not_found', message: `No plant with id ${id}` } });
    return json(200, store.get(id));
  }

  const routes = new Router().on('POST', '/__admin/plants/:id', adminSetStatus);
  issuer.mount(routes);
  mountPlantRoutes(routes, store, issuer);

  const sandbox = await startSandbox({
    name: 'plant-api',
    port: options.port,
    routes,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults !== undefined ? { faults: options.faults } : {}),
    onReset: () => {
      store.reset();
      issuer.reset();
    },
  });

  return {
    ...sandbox,
    async setPlantStatus(id, status) {
      if (!isPlantStatus(status)) throw new Error(`Unknown plant status ${String(status)}; expected one of ${PLANT_STATUSES.join(', ')}`);
      if (!(await changeStatus(id, status))) throw new Error(`No plant with id ${id}`);
    },
    setWebhookTarget(url) {
      if (url === undefined) delete options.webhookTarget;
      else options.webhookTarget = url;
    },
  };
}

function parseStatus(body: string): PlantStatus | undefined {
  try {
    const input: unknown = JSON.parse(body);
    const status = input && typeof input === 'object' ? (input as { status?: unknown }).status : undefined;
    return isPlantStatus(status) ? status : undefined;
  } catch {
    return undefined;
  }
}
