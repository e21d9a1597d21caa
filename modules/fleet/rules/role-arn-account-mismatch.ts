import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';
import { parseArn } from './arn';
import { presentKeys } from '../rejected-fields';

export const roleArnAccountMismatch: FleetRule = {
  id: 'role-arn-account-mismatch',
  severity: 'error',
  doc: 'An account\'s roleArn is a role in that account (the entry\'s id): its stacks deploy where the role is.',
  dataSource: 'IAM ARN format (arn:<partition>:iam::<account id>:role/<name>); the plan-time guard asks STS which account the role is in',
  acrossAccounts: true,
  check(fleet) {
    return eachIndependently(presentKeys(fleet.accounts), (name): RuleFinding[] => {
      const { id, roleArn } = fleet.accounts[name];
      const role = parseArn(roleArn);
      if (!role || role.account === id) return [];
      return [{
        path: ['accounts', name, 'roleArn'],
        message: `the role is in ${role.account}, but the entry's id is ${id}; a stack assumes a role in the account it deploys to`,
        suggestion: `use the role of ${id} (arn:${role.partition}:iam::${id}:${role.resource}), or correct the id`,
      }];
    });
  },
};
