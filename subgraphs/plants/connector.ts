/**
 * The Plant API (UPSTREAMS.md, "Plant API"), typed: OAuth2 client credentials, pages of
 * plants, the batch-by-ids endpoint, readings and health. Answers are mapped to the
 * subgraph's own shapes here and nowhere else.
 */
import type { PlantsSettings } from './settings.ts';
import { clientCredentials } from '../kit/client-credentials.ts';
import { createHttpClient } from '../kit/http-client.ts';
import { metrics } from '../../kit/metrics.ts';

export const PLANT_API = 'plant-api';
/** Largest page and id batch the Plant API serves. */
export const PLANT_API_PAGE_SIZE = 50;
export const PLANT_API_MAX_IDS = 100;

export type PlantStatus = 'ONLINE' | 'DEGRADED' | 'OFFLINE' | 'MAINTENANCE';

export interface Operator {
  name: string;
  email: string | null;
  phone: string | null;
  /** The plant this contact belongs to (for the audit trail of plain reads). */
  plantId: string;
}

export interface Plant {
  id: string;
  name: string;
  site: string;
  status: PlantStatus;
  capacityMw: number;
  updatedAt: string;
  operator: Operator | null;
}

export interface Reading {
  at: string;
  outputMw: number;
  temperatureC: number | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PlantApi {
  listPlants(query: { page: number; status?: PlantStatus | undefined }, signal: AbortSignal): Promise<Page<Plant>>;
  plantsByIds(ids: readonly string[], signal: AbortSignal): Promise<Plant[]>;
  readings(plantId: string, query: { from: string; to: string; page: number }, signal: AbortSignal): Promise<Page<Reading>>;
  health(signal: AbortSignal): Promise<void>;
}

interface WirePlant {
  id: string;
  name: string;
  site: string;
  status: PlantStatus;
  capacity_mw: number;
  operator?: { name: string; email?: string | null; phone?: string | null } | null;
  updated_at: string;
}

interface WireReading {
  at: string;
  output_mw: number;
  temperature_c?: number | null;
}

interface WirePage<T> {
  data: T[];
  total?: number;
}

export function createPlantApi(config: PlantsSettings): PlantApi {
  const http = createHttpClient({
    api: PLANT_API,
    baseUrl: config.url,
    timeoutMs: config.policy.timeoutMs,
    auth: clientCredentials({
      api: PLANT_API,
      tokenUrl: `${config.url}/oauth/token`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      scope: config.scope,
      timeoutMs: config.policy.timeoutMs,
    }),
    onExchange: metrics.observeExchange,
  });

  return {
    async listPlants({ page, status }, signal) {
      const { body } = await http.request<WirePage<WirePlant>>({
        path: '/v1/plants',
        query: { page, per_page: PLANT_API_PAGE_SIZE, status },
        signal,
      });
      return { items: body.data.map(toPlant), total: body.total ?? body.data.length };
    },
    async plantsByIds(ids, signal) {
      if (ids.length === 0) return [];
      const { body } = await http.request<WirePage<WirePlant>>({ path: '/v1/plants', query: { ids: ids.join(',') }, signal });
      return body.data.map(toPlant);
    },
    async readings(plantId, { from, to, page }, signal) {
      const { body } = await http.request<WirePage<WireReading>>({
        path: `/v1/plants/${encodeURIComponent(plantId)}/readings`,
        query: { from, to, page, per_page: PLANT_API_PAGE_SIZE },
        signal,
      });
      return {
        items: body.data.map((reading) => ({ at: reading.at, outputMw: reading.output_mw, temperatureC: reading.temperature_c ?? null })),
        total: body.total ?? body.data.length,
      };
    },
    async health(signal) {
      await http.request<unknown>({ path: '/v1/health', signal });
    },
  };
}

function toPlant(wire: WirePlant): Plant {
  return {
    id: wire.id,
    name: wire.name,
    site: wire.site,
    status: wire.status,
    capacityMw: wire.capacity_mw,
    updatedAt: wire.updated_at,
    operator: wire.operator
      ? { name: wire.operator.name, email: wire.operator.email ?? null, phone: wire.operator.phone ?? null, plantId: wire.id }
      : null,
  };
}
