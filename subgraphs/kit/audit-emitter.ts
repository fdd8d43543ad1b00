/** Provisional until the audit work lands: hands events to the log. */
import type { Settings } from '../../config/settings.ts';
import type { AuditEventInput } from './audit-event.ts';
import { logger } from './logger.ts';

export interface AuditEmitter {
  emit(input: AuditEventInput): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createAuditEmitter(_options: { settings: Settings; service: string }): AuditEmitter {
  return {
    emit: (input) => logger.debug('audit', { type: input.type, action: input.action }),
    flush: async () => {},
    close: async () => {},
  };
}
