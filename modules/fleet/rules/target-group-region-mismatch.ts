import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';
import { parseArn } from './arn';

export const targetGroupRegionMismatch: FleetRule = {
  id: 'target-group-region-mismatch',
  severity: 'error',
  doc: 'A region\'s target groups are in that region: an Auto Scaling group registers instances only with target groups of its own region.',
  dataSource: 'Elastic Load Balancing: a target group and its targets are in one region; the region is read from the ARN',
  check(fleet) {
    return eachIndependently(Object.keys(fleet.regions), (region) =>
      (fleet.regions[region].targetGroupArns ?? []).flatMap((value, i): RuleFinding[] => {
        const arn = parseArn(value);
        if (!arn || arn.region === region) return [];
        return [{
          path: ['regions', region, 'targetGroupArns', i],
          message: `the target group is in ${arn.region}, but the Auto Scaling group of ${region} registers with it; a group can only use target groups of its own region`,
          suggestion: `use a target group of ${region}'s load balancer`,
        }];
      }));
  },
};
