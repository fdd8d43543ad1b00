/**
 * The nullability policy (docs/architecture.md): one failing upstream, permission rule or
 * subgraph nulls only its own fields. Checked over the composed supergraph, so a new
 * non-null field that could blank its parent fails here, named.
 */
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { describe, expect, it } from '@jest/globals';
import { buildSchema, isNonNullType, parse } from 'graphql';
import { SUPERGRAPH_FILE } from '../gateway/server.ts';
import { SUBSCRIPTION_SDL } from '../gateway/subscriptions/schema.ts';
import type { PermissionTable } from '../subgraphs/kit/permissions.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import { nullabilityViolations } from './support/nullability-policy.ts';

const permissions = Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, entry.permissions]));

describe('the nullability policy', () => {
  it('holds for every field of the composed supergraph', () => {
    expect(nullabilityViolations(readFileSync(SUPERGRAPH_FILE, 'utf8'), permissions)).toEqual([]);
  });

  it('holds for the subscription root the gateway adds', () => {
    const subscription = buildSchema(`type Query { _: Boolean } type Plant { id: ID } ${SUBSCRIPTION_SDL.replace('extend schema', 'schema')}`.replace('schema {', 'schema { query: Query'), {
      assumeValidSDL: true,
    }).getSubscriptionType();
    const nonNull = Object.values(subscription!.getFields()).filter((field) => isNonNullType(field.type));
    expect(nonNull.map((field) => field.name)).toEqual([]);
  });

  it('names each field that breaks it, and why', () => {
    const supergraph = composeServices([
      {
        name: 'things',
        url: 'http://things',
        typeDefs: parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
          type Query { things: ThingConnection! thing(id: ID!): Thing }
          type Thing @key(fields: "id") { id: ID! name: String! secret: String! parts: [Part!]! history(first: Int): ThingConnection! }
          type Part { label: String! }
          type ThingConnection { edges: [ThingEdge!]! }
          type ThingEdge { node: Thing! cursor: String! }
        `),
      },
      {
        name: 'notes',
        url: 'http://notes',
        typeDefs: parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
          type Query { noteCount: Int }
          type Thing @key(fields: "id") { id: ID! note: String! }
        `),
      },
    ]);
    if (!supergraph.supergraphSdl) throw new Error(String(supergraph.errors));
    const tables: Record<string, PermissionTable> = {
      things: { requires: { Query: 'plants:read', Thing: 'plants:read', 'Thing.secret': 'pii:read', Part: 'plants:read', ThingConnection: 'plants:read', ThingEdge: 'plants:read' } },
      notes: { requires: { Query: 'audit:read', Thing: 'audit:read' } },
    };
    expect(nullabilityViolations(supergraph.supergraphSdl, tables)).toEqual([
      'Query.things: a root field crosses an upstream',
      'Thing.history: a parameterised read (a page of its own) crosses an upstream',
      'Thing.note: contributed by notes to an entity things makes',
      'Thing.parts: a list hanging off an entity is fetched on its own',
      'Thing.secret: guarded by its own rule in things',
    ]);
  });
});
