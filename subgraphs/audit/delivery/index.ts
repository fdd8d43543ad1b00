/** Public surface of audit delivery. */
export { measureAuditBacklog } from './backlog.ts';
export { startAuditConsumer, type AuditConsumerOptions, type RunningConsumer } from './start-audit-consumer.ts';
