/**
 * Who may read what in the banking subgraph, and what is masked without pii:read. The
 * strictest table: balances need pii:read outright, account and routing numbers and member
 * emails are masked, validations need banking:validate.
 */
import type { PermissionTable } from '../kit/permissions.ts';

const owner = (type: string) => (parent: Record<string, unknown>) => ({ type, id: String(parent.id) });

export const bankingPermissions: PermissionTable = {
  requires: {
    Query: 'banking:read',
    Mutation: 'banking:validate',
    Institution: 'banking:read',
    Member: 'banking:read',
    Account: 'banking:read',
    'Account.balance': ['banking:read', 'pii:read'],
    AccountStatusChange: 'banking:read',
    Money: 'banking:read',
    Holiday: 'banking:read',
    InstitutionValidation: 'banking:validate',
    MemberValidation: 'banking:validate',
    AccountValidation: 'banking:validate',
    BankingValidationError: 'banking:validate',
  },
  masked: {
    'Account.accountNumber': { kind: 'accountNumber', owner: owner('Account') },
    'Account.routingNumber': { kind: 'accountNumber', owner: owner('Account') },
    'Member.email': { kind: 'email', owner: owner('Member') },
    // The platform's messages may quote the account or member they are about.
    'BankingValidationError.message': { kind: 'freeText', owner: () => undefined },
  },
};
