/**
 * Changes announced by the subgraphs once they dropped their own cache entries (a signed
 * webhook said an entity changed), so the gateway's response cache drops the answers that
 * carried those entities. Published on the project's pub/sub (kit/pubsub.ts).
 */
export const CACHE_INVALIDATION_CHANNEL = 'cache-invalidation';

/** An entity that changed: by type and id, or every entity of a type (no id). */
export interface ChangedEntity {
  type: string;
  id?: string;
}

export interface CacheInvalidation {
  entities: ChangedEntity[];
}

export function isCacheInvalidation(value: unknown): value is CacheInvalidation {
  const message = value as Partial<CacheInvalidation> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    Array.isArray(message.entities) &&
    message.entities.every((entity) => typeof entity?.type === 'string' && (entity.id === undefined || typeof entity.id === 'string'))
  );
}
