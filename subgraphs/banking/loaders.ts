/**
 * The banking subgraph's reads, deduplicated per request and cached across requests for the
 * policy's short TTL. The platform has no batch routes, so each distinct key is its own
 * cached call. Validations are reads: a query and a mutation asking the same question share
 * one cached answer.
 */
import type DataLoader from 'dataloader';
import { cachedItemLoader } from '../kit/loaders.ts';
import type { Upstream } from '../kit/upstream.ts';
import type { AccountStatusHistory, CoreBankingApi, Holiday, Institution, Member, Account, Validation } from './connector.ts';

export interface InstitutionCheck {
  institutionId: string;
  sponsorId: string;
}

export interface MemberCheck {
  memberId: string;
  institutionId: string;
}

export interface AccountCheck {
  accountId: string;
  institutionId: string;
}

export interface BankingLoaders {
  institutionCheck: DataLoader<InstitutionCheck, Validation<Institution> | null, string>;
  memberCheck: DataLoader<MemberCheck, Validation<Member> | null, string>;
  accountCheck: DataLoader<AccountCheck, Validation<Account> | null, string>;
  accountStatus: DataLoader<AccountCheck, AccountStatusHistory | null, string>;
  holidays: DataLoader<{ institutionId: string; year: number }, Holiday[] | null, string>;
  /** An institution by id alone (references from members, accounts and other subgraphs). */
  institution(id: string): Promise<Institution | null>;
  /** A member by id alone (entity references carry no institution). */
  member(id: string): Promise<Member | null>;
  /** An account by id alone (entity references carry no institution). */
  account(id: string): Promise<Account | null>;
}

/**
 * The platform reads records only through its validation routes, which need a counterpart
 * id and return a known record whatever the verdict. Lookups by id alone send these
 * well-formed ids that are never issued; the verdict is ignored, only the record is used.
 */
export const LOOKUP_SPONSOR_ID = 'spn-000';
export const LOOKUP_INSTITUTION_ID = 'inst-000';

export function createBankingLoaders(api: CoreBankingApi, upstream: Upstream): BankingLoaders {
  const institutionCheck = cachedItemLoader(
    upstream,
    'institution-check',
    (check: InstitutionCheck, signal) => api.validateInstitution(check, signal),
    (check) => `${check.institutionId}:${check.sponsorId}`,
  );
  const memberCheck = cachedItemLoader(
    upstream,
    'member-check',
    (check: MemberCheck, signal) => api.validateMember(check, signal),
    (check) => `${check.memberId}:${check.institutionId}`,
  );
  const accountCheck = cachedItemLoader(
    upstream,
    'account-check',
    (check: AccountCheck, signal) => api.validateAccount(check, signal),
    (check) => `${check.accountId}:${check.institutionId}`,
  );
  return {
    institutionCheck,
    memberCheck,
    accountCheck,
    accountStatus: cachedItemLoader(
      upstream,
      'account-status',
      (check: AccountCheck, signal) => api.accountStatus(check, signal),
      (check) => `${check.accountId}:${check.institutionId}`,
    ),
    holidays: cachedItemLoader(
      upstream,
      'holidays',
      (key: { institutionId: string; year: number }, signal) => api.holidays(key, signal),
      (key) => `${key.institutionId}:${key.year}`,
    ),
    institution: async (id) => (await institutionCheck.load({ institutionId: id, sponsorId: LOOKUP_SPONSOR_ID }))?.record ?? null,
    member: async (id) => (await memberCheck.load({ memberId: id, institutionId: LOOKUP_INSTITUTION_ID }))?.record ?? null,
    account: async (id) => (await accountCheck.load({ accountId: id, institutionId: LOOKUP_INSTITUTION_ID }))?.record ?? null,
  };
}
