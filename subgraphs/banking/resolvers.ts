/**
 * Resolvers of the banking subgraph: every id checked against its format before anything is
 * fetched, then loaders, never fetch. Each validation is audited with its verdict.
 */
import { GraphQLError } from 'graphql';
import type { SubgraphContext } from '../kit/context.ts';
import { badUserInput, ErrorCode } from '../../kit/errors.ts';
import { toMoney } from '../kit/money.ts';
import type { Account, Member, Validation } from './connector.ts';
import type { BankingLoaders } from './loaders.ts';

type Context = SubgraphContext<BankingLoaders>;

/** The platform's id formats; anything else never reaches it. */
export const ID_FORMATS = {
  institution: /^inst-\d{3}$/,
  member: /^mem-\d{3}$/,
  account: /^acc-\d{3}$/,
  sponsor: /^spn-\d{3}$/,
} as const;
type IdKind = keyof typeof ID_FORMATS;

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** The id when it has the kind's format, else BAD_USER_INPUT naming the argument. */
function checkId(kind: IdKind, value: unknown, argument: string): string {
  if (typeof value === 'string' && ID_FORMATS[kind].test(value)) return value;
  const example = { institution: 'inst-001', member: 'mem-001', account: 'acc-001', sponsor: 'spn-001' }[kind];
  throw badUserInput(`${argument} must be ${kind === 'account' || kind === 'institution' ? 'an' : 'a'} ${kind} id like ${example}, got ${JSON.stringify(String(value ?? '').slice(0, 40))}.`, argument);
}

function checkYear(year: number): number {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw badUserInput(`year must be between ${MIN_YEAR} and ${MAX_YEAR}, got ${year}.`, 'year');
  return year;
}

/** Ids an entity reference carries are not user input: a malformed one is simply unknown. */
const wellFormed = (kind: IdKind, id: string) => ID_FORMATS[kind].test(id);

/** Runs one validation and audits it: SUCCESS when valid, FAILURE when invalid or when it could not be answered. */
async function audited<R>(
  context: Context,
  entityType: string,
  ids: Record<string, unknown>,
  run: () => Promise<Validation<R> | null>,
): Promise<Validation<R>> {
  // Raw input may be anything: keep what lands in the audit trail short.
  const details: Record<string, unknown> = Object.fromEntries(Object.entries(ids).map(([key, value]) => [key, String(value ?? '').slice(0, 40)]));
  const event = (outcome: 'SUCCESS' | 'FAILURE', extra: Record<string, unknown>) =>
    context.audit.emit({
      type: 'VALIDATION',
      actor: context.caller.subject,
      service: context.service,
      entityType,
      entityId: String(Object.values(details)[0]),
      action: `validate ${entityType.toLowerCase()}`,
      outcome,
      details: { ...details, ...extra },
    });
  try {
    const answer = (await run()) ?? { valid: false, errors: [], record: null };
    event(answer.valid ? 'SUCCESS' : 'FAILURE', { valid: answer.valid, errors: answer.errors.map((error) => error.code) });
    return answer;
  } catch (error) {
    const code = error instanceof GraphQLError ? String(error.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR) : ErrorCode.INTERNAL_SERVER_ERROR;
    event('FAILURE', { error: code });
    throw error;
  }
}

export function bankingResolvers() {
  return {
    Query: {
      institution(_: unknown, args: { id: string }, { loaders }: Context) {
        return loaders.institution(checkId('institution', args.id, 'id'));
      },
      async member(_: unknown, args: { id: string; institutionId: string }, { loaders }: Context) {
        const memberId = checkId('member', args.id, 'id');
        const institutionId = checkId('institution', args.institutionId, 'institutionId');
        const record = (await loaders.memberCheck.load({ memberId, institutionId }))?.record;
        // A member of another institution is as unknown as a missing one to this question.
        return record?.institutionId === institutionId ? record : null;
      },
      async account(_: unknown, args: { id: string; institutionId: string }, { loaders }: Context) {
        const accountId = checkId('account', args.id, 'id');
        const institutionId = checkId('institution', args.institutionId, 'institutionId');
        const record = (await loaders.accountCheck.load({ accountId, institutionId }))?.record;
        return record?.institutionId === institutionId ? record : null;
      },
      async holidays(_: unknown, args: { institutionId: string; year: number }, { loaders }: Context) {
        const institutionId = checkId('institution', args.institutionId, 'institutionId');
        const year = checkYear(args.year);
        return (await loaders.holidays.load({ institutionId, year })) ?? [];
      },
    },
    Mutation: {
      async validateInstitution(_: unknown, { input }: { input: { institutionId: string; sponsorId: string } }, context: Context) {
        const answer = await audited(context, 'Institution', input, () => {
          const institutionId = checkId('institution', input.institutionId, 'input.institutionId');
          const sponsorId = checkId('sponsor', input.sponsorId, 'input.sponsorId');
          return context.loaders.institutionCheck.load({ institutionId, sponsorId });
        });
        return { valid: answer.valid, errors: answer.errors, institution: answer.record };
      },
      async validateMember(_: unknown, { input }: { input: { memberId: string; institutionId: string } }, context: Context) {
        const answer = await audited(context, 'Member', input, () => {
          const memberId = checkId('member', input.memberId, 'input.memberId');
          const institutionId = checkId('institution', input.institutionId, 'input.institutionId');
          return context.loaders.memberCheck.load({ memberId, institutionId });
        });
        return { valid: answer.valid, errors: answer.errors, member: answer.record };
      },
      async validateAccount(_: unknown, { input }: { input: { accountId: string; institutionId: string } }, context: Context) {
        const answer = await audited(context, 'Account', input, () => {
          const accountId = checkId('account', input.accountId, 'input.accountId');
          const institutionId = checkId('institution', input.institutionId, 'input.institutionId');
          return context.loaders.accountCheck.load({ accountId, institutionId });
        });
        return { valid: answer.valid, errors: answer.errors, account: answer.record };
      },
    },
    Institution: {
      __resolveReference({ id }: { id: string }, { loaders }: Context) {
        return wellFormed('institution', id) ? loaders.institution(id) : null;
      },
    },
    Member: {
      __resolveReference({ id }: { id: string }, { loaders }: Context) {
        return wellFormed('member', id) ? loaders.member(id) : null;
      },
      institution(member: Member, _: unknown, { loaders }: Context) {
        return loaders.institution(member.institutionId);
      },
    },
    Account: {
      __resolveReference({ id }: { id: string }, { loaders }: Context) {
        return wellFormed('account', id) ? loaders.account(id) : null;
      },
      institution(account: Account, _: unknown, { loaders }: Context) {
        return loaders.institution(account.institutionId);
      },
      balance(account: Account) {
        return toMoney(account.balance.amount, account.balance.currency);
      },
      async statusHistory(account: Account, _: unknown, { loaders }: Context) {
        return (await loaders.accountStatus.load({ accountId: account.id, institutionId: account.institutionId }))?.history ?? [];
      },
      async lastUpdated(account: Account, _: unknown, { loaders }: Context) {
        return (await loaders.accountStatus.load({ accountId: account.id, institutionId: account.institutionId }))?.lastUpdated ?? null;
      },
    },
  };
}
