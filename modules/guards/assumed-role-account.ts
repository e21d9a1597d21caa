import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { AccountSettings } from '../fleet/fleet-spec';
import { requireTerraform } from '../rendering/terraform-version';

/** Which account entry a stack is in, for the account guards' messages. */
export interface AccountGuarded {
  readonly fleet: string;
  /** The entry's name in `accounts`. */
  readonly account: string;
  /** The entry's account id and the role its stacks' provider assumes (what an `accounts` entry gives). */
  readonly settings: Pick<AccountSettings, 'id' | 'roleArn'>;
}

/**
 * The role the stack's provider assumes is in the entry's account: the caller identity, read
 * first, with a postcondition, so a role of another account stops the plan before any read or
 * copy in it. The returned data source is what the other account guards wait for. In a stack of
 * your own, call it with your provider's role and account.
 *
 * @example
 * assumedRoleAccount(stack, { fleet: 'web', account: 'prod', settings: { id: '111122223333', roleArn } });
 */
export function assumedRoleAccount(scope: Construct, ctx: AccountGuarded): DataAwsCallerIdentity {
  const identity = new DataAwsCallerIdentity(scope, 'assumed-role-identity', {});
  requireTerraform(identity, 'preconditions and postconditions');
  const { id, roleArn } = ctx.settings;
  identity.lifecycle = {
    postcondition: [{
      condition: `\${self.account_id == "${id}"}`,
      errorMessage: `amifleet fleet ${ctx.fleet}, account ${ctx.account}: assumed role ${roleArn} is in account \${self.account_id}, `
        + `but accounts.${ctx.account}.id is ${id}. Fix: set accounts.${ctx.account}.roleArn to a role of account ${id} `
        + '(or correct the id).',
    }],
  };
  return identity;
}
