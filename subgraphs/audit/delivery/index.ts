/** Public surface of audit delivery. */
export { startAuditConsumer, type AuditConsumerOptions, type RunningConsumer } from './start-audit-consumer.ts';
