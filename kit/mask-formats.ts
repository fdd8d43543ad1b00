/**
 * The masking formats of ARCHITECTURE.md, each keeping just enough to recognise a value,
 * never enough to use it. Shared by field masking (masking.ts) and redaction (redact.ts).
 */

/** `jane.doe@example.com` -> `j***@example.com` */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return '***';
  return `${email[0]}***@${email.slice(at + 1)}`;
}

/** Any phone number -> `***-***-1234` (the last four digits stay). */
export function maskPhone(phone: string): string {
  return `***-***-${lastFourDigits(phone)}`;
}

/** An account or card number -> `****-****-****-1234` (the last four digits stay). */
export function maskAccountNumber(accountNumber: string): string {
  return `****-****-****-${lastFourDigits(accountNumber)}`;
}

function lastFourDigits(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : '****';
}

/** `PAT0001123` -> `PAT***123` */
export function maskPatientId(id: string): string {
  return `${id.slice(0, 3)}***${id.slice(-3)}`;
}
