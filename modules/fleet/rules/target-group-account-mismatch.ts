import { eachAccountRegion, type FleetRule, type RuleFinding } from './fleet-rule';
import { parseArn } from './arn';

export const targetGroupAccountMismatch: FleetRule = {
  id: 'target-group-account-mismatch',
  severity: 'error',
  doc: 'An account\'s target groups are that account\'s: an Auto Scaling group registers instances only with target groups of its own account.',
  dataSource: 'Elastic Load Balancing: a target group and its targets are in one account; the account is read from the ARN',
  acrossAccounts: true,
  check(fleet) {
    return eachAccountRegion(fleet, ({ name, id }, region, settings) => (settings.targetGroupArns ?? []).flatMap((value, i): RuleFinding[] => {
      const arn = parseArn(value);
      if (!arn || arn.account === id) return [];
      return [{
        path: ['accounts', name, 'regions', region, 'targetGroupArns', i],
        message: `the target group is in account ${arn.account}, but the Auto Scaling group of ${name} (${id}) registers with it; a group can only use target groups of its own account`,
        suggestion: `use a target group of ${name}'s load balancer in ${region}`,
      }];
    }));
  },
};
