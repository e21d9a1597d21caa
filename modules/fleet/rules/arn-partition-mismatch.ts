import { awsRegion } from '../aws-catalog';
import { eachIndependently, independentParts, type FleetRule, type RuleFinding } from './fleet-rule';
import { parseArn } from './arn';
import { presentKeys } from '../rejected-fields';

export const arnPartitionMismatch: FleetRule = {
  id: 'arn-partition-mismatch',
  severity: 'error',
  doc: 'Every ARN (KMS keys, target groups, instance profile, organization and OU shares, account roles) is in the partition of the regions that use it.',
  dataSource: 'AWS SDK for JavaScript endpoint partitions (@aws-sdk/core), via modules/fleet/aws-catalog.json; the partition is read from each ARN',
  check(fleet) {
    const check = (value: string | undefined, partition: string | undefined, where: string, path: (string | number)[]): RuleFinding[] => {
      const arn = value === undefined ? undefined : parseArn(value);
      if (!arn || !partition || arn.partition === partition) return [];
      return [{
        path, message: `is an ARN in partition ${arn.partition}, but ${where} is in ${partition}`,
        suggestion: `write arn:${partition}:${value!.split(':').slice(2).join(':')}`,
      }];
    };
    const fleetPartition = () => awsRegion(fleet.source.region)?.partition;
    const sourceWhere = () => `the fleet (source region ${fleet.source.region})`;
    const shares = () => fleet.copy.shareWith;
    return independentParts(
      () => eachIndependently(Object.entries(fleet.regions), ([region, s]) =>
        check(s.kmsKeyId, awsRegion(region)?.partition, region, ['regions', region, 'kmsKeyId'])),
      () => eachIndependently(Object.entries(fleet.regions), ([region, s]) => (s.targetGroupArns ?? []).flatMap((a, i) =>
        check(a, awsRegion(region)?.partition, region, ['regions', region, 'targetGroupArns', i]))),
      () => check(fleet.launchTemplate.iamInstanceProfile, fleetPartition(), sourceWhere(), ['launchTemplate', 'iamInstanceProfile']),
      () => (shares()?.organizationArns ?? []).flatMap((a, i) =>
        check(a, fleetPartition(), sourceWhere(), ['copy', 'shareWith', 'organizationArns', i])),
      () => (shares()?.organizationalUnitArns ?? []).flatMap((a, i) =>
        check(a, fleetPartition(), sourceWhere(), ['copy', 'shareWith', 'organizationalUnitArns', i])),
      // An account's view has no accounts: each role is checked once, in the fleet's own run.
      () => eachIndependently(presentKeys(fleet.accounts), (name) =>
        check(fleet.accounts[name].roleArn, fleetPartition(), sourceWhere(), ['accounts', name, 'roleArn'])),
    );
  },
};
