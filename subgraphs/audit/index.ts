/**
 * The audit subgraph: serves the tamper-evident audit log and extends other subgraphs'
 * entities with their audit trails. It also runs the delivery that stores what every
 * producer emitted (Redis Stream consumer group and local outbox).
 */
import { schemaBeside, type SubgraphEntry, type SubgraphFactory } from '../kit/subgraph.ts';
import { openAuditSource } from './connector.ts';
import { createAuditLoaders, type AuditLoaders } from './loaders.ts';
import { auditPermissions } from './permissions.ts';
import { auditResolvers } from './resolvers.ts';

export const SERVICE = 'audit';

const createAuditSubgraph: SubgraphFactory<AuditLoaders> = async ({ settings }) => {
  const source = await openAuditSource(settings);
  return {
    resolvers: auditResolvers(source.reader),
    createLoaders: () => createAuditLoaders(source.reader),
    close: () => source.close(),
  };
};

export const auditSubgraph: SubgraphEntry<AuditLoaders> = {
  name: SERVICE,
  schemaFile: schemaBeside(import.meta.url),
  port: (settings) => settings.ports.audit,
  permissions: auditPermissions,
  create: createAuditSubgraph,
};
