/** Public surface of the audit store. */
export { openAuditStore, type AuditStore, type OpenAuditStoreOptions } from './audit-store.ts';
export type { AuditEventFilter, AuditEventPage, ListAuditEventsArgs } from './list-events.ts';
export { MAX_PAGE_SIZE } from './list-events.ts';
export { AUDIT_REPORT_KINDS, REPORT_EVENT_TYPES, type AuditReport, type AuditReportKind, type CountByKey } from './report.ts';
export type { ChainVerification } from './verify-chain.ts';
export { canonicalJson, GENESIS_HASH, hashEvent } from './event-hash.ts';
