/**
 * The audit subgraph: serves the tamper-evident audit log and extends other subgraphs'
 * entities with their audit trails. It also runs the delivery that stores what every
 * producer emitted (Redis Stream consumer group and local outbox).
 */
import { defineSubgraph, schemaBeside } from '../kit/subgraph.ts';
import { openAuditSource } from './connector.ts';
import { createAuditLoaders } from './loaders.ts';
import { auditPermissions } from './permissions.ts';
import { auditResolvers } from './resolvers.ts';
import { auditSettings } from './settings.ts';

export const auditSubgraph = defineSubgraph({
  settings: auditSettings,
  schemaFile: schemaBeside(import.meta.url),
  permissions: auditPermissions,
  async create({ settings }) {
    const source = await openAuditSource(settings);
    return {
      resolvers: auditResolvers(source.reader),
      createLoaders: () => createAuditLoaders(source.reader),
      close: () => source.close(),
    };
  },
});
