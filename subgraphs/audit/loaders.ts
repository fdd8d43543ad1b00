/**
 * Audit trails of many entities in one store query: a request's `auditTrail` fields are
 * batched per entity type and page size, so the trails of 50 plants cost one query.
 */
import DataLoader from 'dataloader';
import type { AuditReader } from './connector.ts';
import type { AuditEventPage } from './store/index.ts';

export interface TrailKey {
  entityType: string;
  entityId: string;
  first: number;
}

export interface AuditLoaders {
  trail: DataLoader<TrailKey, AuditEventPage, string>;
}

export function createAuditLoaders(store: AuditReader): AuditLoaders {
  return {
    trail: new DataLoader<TrailKey, AuditEventPage, string>(
      async (keys) => {
        const groups = new Map<string, TrailKey[]>();
        for (const key of keys) {
          const group = `${key.entityType}\u0000${key.first}`;
          groups.set(group, [...(groups.get(group) ?? []), key]);
        }
        const pages = new Map<string, AuditEventPage>();
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const { entityType, first } = group[0]!;
            const trails = await store.trails(entityType, group.map((key) => key.entityId), first);
            for (const [entityId, page] of trails) pages.set(cacheKey({ entityType, entityId, first }), page);
          }),
        );
        return keys.map((key) => pages.get(cacheKey(key))!);
      },
      { cacheKeyFn: cacheKey },
    ),
  };
}

function cacheKey(key: TrailKey): string {
  return `${key.entityType}\u0000${key.first}\u0000${key.entityId}`;
}
