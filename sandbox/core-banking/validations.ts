/**
 * The three validation answers of the core banking API. A known record is returned even when
 * it fails a check, so a caller can show why; `valid` is true only with no errors.
 */
import { findAccount, findInstitution, findMember } from './data.ts';
import type { ApiError } from './wire.ts';

/** An institution as the API shows it. */
export interface InstitutionView {
  id: string;
  name: string;
  sponsorId: string;
  status: string;
}

/** A member as the API shows it. */
export interface MemberView {
  id: string;
  institutionId: string;
  status: string;
  fullName: string;
  email: string;
}

/** An account as the validation answer shows it (history is on the status route). */
export interface AccountView {
  id: string;
  institutionId: string;
  status: string;
  accountNumber: string;
  routingNumber: string;
  balance: { amount: number; currency: string };
}

/** The wire answer: `{valid, <record key>: record | null, errors}`. */
export type ValidationAnswer<K extends string, R> = { valid: boolean; errors: ApiError[] } & { [key in K]: R | null };

/** `POST /api/institution/validate`: known, sponsored by `sponsorId`, and ACTIVE. */
export function validateInstitution(institutionId: string, sponsorId: string): ValidationAnswer<'institution', InstitutionView> {
  const institution = findInstitution(institutionId);
  if (!institution) return notFound('institution', 'INSTITUTION_NOT_FOUND', `No institution ${institutionId}`);
  const errors: ApiError[] = [];
  if (institution.sponsorId !== sponsorId) errors.push({ code: 'SPONSOR_MISMATCH', message: `Institution ${institutionId} is not sponsored by ${sponsorId}` });
  if (institution.status === 'SUSPENDED') errors.push({ code: 'INSTITUTION_SUSPENDED', message: `Institution ${institutionId} is suspended` });
  if (institution.status === 'INACTIVE') errors.push({ code: 'INSTITUTION_INACTIVE', message: `Institution ${institutionId} is inactive` });
  const { id, name, status } = institution;
  return answer('institution', { id, name, sponsorId: institution.sponsorId, status }, errors);
}

/** `POST /api/member/validate`: known, at `institutionId`, and ACTIVE. */
export function validateMember(memberId: string, institutionId: string): ValidationAnswer<'member', MemberView> {
  const member = findMember(memberId);
  if (!member) return notFound('member', 'MEMBER_NOT_FOUND', `No member ${memberId}`);
  const errors: ApiError[] = [];
  if (member.institutionId !== institutionId) errors.push(mismatch('Member', memberId, institutionId));
  if (member.status === 'INACTIVE') errors.push({ code: 'MEMBER_INACTIVE', message: `Member ${memberId} is inactive` });
  if (member.status === 'SUSPENDED') errors.push({ code: 'MEMBER_SUSPENDED', message: `Member ${memberId} is suspended` });
  return answer('member', { ...member }, errors);
}

/** `POST /api/account/validate`: known, at `institutionId`, and OPEN (neither closed nor frozen). */
export function validateAccount(accountId: string, institutionId: string): ValidationAnswer<'account', AccountView> {
  const account = findAccount(accountId);
  if (!account) return notFound('account', 'ACCOUNT_NOT_FOUND', `No account ${accountId}`);
  const errors: ApiError[] = [];
  if (account.institutionId !== institutionId) errors.push(mismatch('Account', accountId, institutionId));
  if (account.status === 'CLOSED') errors.push({ code: 'ACCOUNT_CLOSED', message: `Account ${accountId} is closed` });
  if (account.status === 'FROZEN') errors.push({ code: 'ACCOUNT_FROZEN', message: `Account ${accountId} is frozen` });
  const { id, status, accountNumber, routingNumber, balance } = account;
  return answer('account', { id, institutionId: account.institutionId, status, accountNumber, routingNumber, balance: { ...balance } }, errors);
}

function answer<K extends string, R>(key: K, record: R | null, errors: ApiError[]): ValidationAnswer<K, R> {
  return { valid: errors.length === 0, [key]: record, errors } as ValidationAnswer<K, R>;
}

function notFound<K extends string>(key: K, code: string, message: string): ValidationAnswer<K, never> {
  return answer<K, never>(key, null, [{ code, message }]);
}

function mismatch(kind: string, id: string, institutionId: string): ApiError {
  return { code: 'INSTITUTION_MISMATCH', message: `${kind} ${id} does not belong to institution ${institutionId}` };
}
