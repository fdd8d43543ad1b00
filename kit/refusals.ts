/**
 * Refused requests (a missing or bad token, a bad webhook signature) are audited one by one
 * up to a cap per source address and window, on every entry point together: HTTP,
 * WebSocket, SSE, webhooks and subgraphs. Past the cap the caller is turned away at once
 * (HTTP 429) and what it tried is summed up in one REFUSALS_SUMMARY event per address and
 * window ("N refused from X"), so a flood cannot become a flood of audit rows. The count is
 * shared through Redis when configured (kit/window-counter.ts); if it cannot count, this
 * process counts alone.
 */
import type { Limits } from '../config/limits.ts';
import type { AuditEventInput } from './audit-event.ts';
import { metrics } from './metrics.ts';
import { handOver, type AuditSink } from './request-audit.ts';
import { windowCounter } from './window-counter.ts';

export interface RefusalCap {
  /**
   * Records a refusal from an address: audits `event` while the address is within its cap
   * and answers true; past it, counts the refusal for the window's summary and answers false
   * (turn the request away at once).
   */
  refused(address: string, event: AuditEventInput): Promise<boolean>;
  close(): void;
}

export interface RefusalCapOptions {
  limits: Limits['refusals'];
  redisUrl?: string | undefined;
  keyPrefix: string;
  audit: AuditSink;
  service: string;
}

export function refusalCap({ limits, redisUrl, keyPrefix, audit, service }: RefusalCapOptions): RefusalCap {
  const shared = windowCounter({ redisUrl, prefix: `${keyPrefix}refused:` });
  const local = windowCounter({ prefix: `${keyPrefix}refused:` });
  const { perAddress, windowMs } = limits;
  /** Refusals past the cap, by address, for the window that started at `windowStart`. */
  let windowStart = 0;
  let suppressed = new Map<string, { count: number; entryPoints: Set<string> }>();

  const summarize = () => {
    for (const [address, { count, entryPoints }] of suppressed) {
      audit.emit({
        type: 'REFUSALS_SUMMARY',
        actor: 'anonymous',
        service,
        action: `refused ${count} more requests from ${address}`,
        outcome: 'DENIED',
        details: { address, count, entryPoints: [...entryPoints].sort(), windowStart: new Date(windowStart).toISOString(), windowMs },
      });
    }
    suppressed = new Map();
  };
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - (now % windowMs) !== windowStart) summarize();
  }, Math.min(windowMs, 1000));
  timer.unref();

  return {
    async refused(address, event) {
      if (perAddress <= 0) {
        audit.emit(event);
        await handOver(audit);
        return true;
      }
      const now = Date.now();
      const start = now - (now % windowMs);
      if (start !== windowStart) {
        summarize();
        windowStart = start;
      }
      const count = await shared.take(address, start, windowMs).catch(() => local.take(address, start, windowMs));
      if (count <= perAddress) {
        // The refusal is answered once its audit event is safe: a process killed right
        // after answering loses none.
        audit.emit(event);
        await handOver(audit);
        return true;
      }
      const entry = suppressed.get(address) ?? { count: 0, entryPoints: new Set<string>() };
      entry.count += 1;
      entry.entryPoints.add(event.action);
      suppressed.set(address, entry);
      metrics.countRateLimitRefusal('refused-address');
      return false;
    },
    close() {
      clearInterval(timer);
      summarize();
    },
  };
}
