/**
 * Trusted documents: the dashboard widgets' operations in schema/operations/, registered at
 * start by the sha256 of each file's exact text (Apollo's automatic-persisted-query hash),
 * so a widget sends only `extensions.persistedQuery.sha256Hash`. Roles the deployment names
 * (GATEWAY_TRUSTED_DOCUMENTS_ONLY; VIEWER by default in production) may send nothing else;
 * other callers keep free queries, and operations they register through APQ live in a cache
 * bounded in bytes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApolloServerPlugin } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError } from 'graphql';
import type { Limits } from '../config/limits.ts';
import { ErrorCode } from '../kit/errors.ts';
import type { GatewayContext } from './context.ts';

export const OPERATIONS_DIR = fileURLToPath(new URL('../schema/operations/', import.meta.url));
/** How Apollo Server prefixes the keys of its persisted-query cache. */
const APQ_PREFIX = 'apq:';

/** sha256 hex of each operation file's exact text -> the text. */
export function loadTrustedDocuments(dir = OPERATIONS_DIR): ReadonlyMap<string, string> {
  const documents = new Map<string, string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.graphql')).sort()) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    documents.set(createHash('sha256').update(text).digest('hex'), text);
  }
  return documents;
}

/** Apollo's persisted-query cache: the trusted documents always, then what clients registered, bounded in bytes. */
export function persistedQueryCache(documents: ReadonlyMap<string, string>, maxBytes: number): KeyValueCache<string> {
  const registered = new InMemoryLRUCache<string>({ maxSize: Math.max(1, maxBytes), sizeCalculation: (text) => Math.max(1, Buffer.byteLength(text)) });
  const trusted = (key: string) => (key.startsWith(APQ_PREFIX) ? documents.get(key.slice(APQ_PREFIX.length)) : undefined);
  return {
    get: async (key) => trusted(key) ?? (maxBytes > 0 ? registered.get(key) : undefined),
    async set(key, value, options) {
      if (trusted(key) === undefined && maxBytes > 0) await registered.set(key, value, options);
    },
    delete: (key) => registered.delete(key),
  };
}

/** Refuses, for the roles named, any operation that is not a trusted document. */
export function trustedDocumentsPlugin(documents: ReadonlyMap<string, string>, limits: Limits['trustedDocuments']): ApolloServerPlugin<GatewayContext> {
  const onlyFor = new Set(limits.onlyForRoles);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, queryHash }) {
          const roles = contextValue.caller?.roles ?? [];
          // A caller with any role that keeps free queries keeps them.
          if (onlyFor.size === 0 || roles.length === 0 || !roles.every((role) => onlyFor.has(role))) return;
          if (documents.has(queryHash)) return;
          throw new GraphQLError(
            `Callers with the role ${roles.join(', ')} may send only the registered operations (schema/operations/), by extensions.persistedQuery.sha256Hash.`,
            { extensions: { code: ErrorCode.FORBIDDEN, limit: 'trustedDocuments', http: { status: 403 } } },
          );
        },
      };
    },
  };
}
