/** Where cached answers are kept: memory (memory-store.ts) or Redis (redis-store.ts). */
import type { GraphQLFormattedError } from 'graphql';
import type { AuditEventInput } from '../../kit/audit-event.ts';

export interface CachedAnswer {
  /** The answer's data. */
  data: Record<string, unknown>;
  /**
   * Its errors, only FORBIDDEN ones (cacheable-errors.ts): what the caller's scopes, which
   * are in the key, decide. Answers with any other error are never stored.
   */
  errors?: GraphQLFormattedError[];
  /** When the execution that built it began (ms since the epoch): its age, and what a change drops, count from there. */
  storedAt: number;
  /** When it stops being served (ms since the epoch): storedAt plus the shortest lifetime a subgraph reported. */
  expiresAt: number;
  /** What it carries (entity-tags.ts) and which services built it (`service:plants`). */
  tags: string[];
  /** The audit events the execution wrote (SENSITIVE_READ, FORBIDDEN), written again for each caller served from it. */
  audited: AuditEventInput[];
}

export interface ResponseStore {
  /** The entry, unless it expired. Never throws: a store that cannot answer is a miss. */
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Keeps the entry until its expiresAt. Never throws. */
  set(key: string, entry: CachedAnswer): Promise<void>;
  /** Drops every entry that carries one of the tags. Never throws. */
  drop(tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
