/** Masking of sensitive fields for callers without pii:read, by kind (formats in mask-formats.ts). */
import { maskAccountNumber, maskEmail, maskPatientId, maskPhone } from './mask-formats.ts';
import { redactText } from './redact.ts';

export { maskAccountNumber, maskEmail, maskPatientId, maskPhone };

export type MaskKind = 'email' | 'phone' | 'accountNumber' | 'patientId' | 'medicalRecord' | 'freeText';

export function mask(kind: MaskKind, value: string): string {
  switch (kind) {
    case 'email':
      return maskEmail(value);
    case 'phone':
      return maskPhone(value);
    case 'accountNumber':
      return maskAccountNumber(value);
    case 'patientId':
      return maskPatientId(value);
    case 'medicalRecord':
      return '[REDACTED]';
    case 'freeText':
      // Upstream prose (bounce reasons, descriptions) may quote addresses or numbers.
      return redactText(value);
  }
}
