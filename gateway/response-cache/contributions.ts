/**
 * What the subgraphs reported while one gateway request ran (kit/response-report.ts): the
 * shortest lifetime any of them allows, which services contributed, and the sensitive
 * audit events they wrote (SENSITIVE_READ, FORBIDDEN). A subgraph that reports nothing makes the answer not to be kept.
 */
import type { AuditEventInput } from '../../kit/audit-event.ts';
import { isResponseReport, RESPONSE_REPORT_EXTENSION } from '../../kit/response-report.ts';

export class Contributions {
  keepForMs = Infinity;
  readonly services = new Set<string>();
  readonly audited: AuditEventInput[] = [];

  /** Takes a subgraph's report off its answer's extensions (it never reaches the caller). */
  take(service: string, extensions: Record<string, unknown> | undefined): void {
    const report = extensions?.[RESPONSE_REPORT_EXTENSION];
    if (extensions) delete extensions[RESPONSE_REPORT_EXTENSION];
    this.services.add(service);
    if (!isResponseReport(report)) {
      this.keepForMs = 0;
      return;
    }
    this.keepForMs = Math.min(this.keepForMs, report.keepForMs);
    this.audited.push(...report.audited);
  }

  /** How long the answer may be kept: 0 when no subgraph built it (nothing says how long). */
  lifetimeMs(): number {
    return this.services.size === 0 || !Number.isFinite(this.keepForMs) ? 0 : this.keepForMs;
  }
}
