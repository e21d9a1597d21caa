import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';
import { parseArn } from './arn';

export const kmsKeyRegionMismatch: FleetRule = {
  id: 'kms-key-region-mismatch',
  severity: 'error',
  doc: 'A region\'s KMS key is in that region: a copy (and its launch template\'s root volume) is encrypted with a key of its own region.',
  dataSource: 'EC2 CopyImage API reference (KmsKeyId must exist in the destination region); the region is read from the key ARN',
  check(fleet) {
    return eachIndependently(Object.entries(fleet.regions), ([region, settings]): RuleFinding[] => {
      const arn = settings.kmsKeyId === undefined ? undefined : parseArn(settings.kmsKeyId);
      if (!arn || arn.region === region) return [];
      return [{
        path: ['regions', region, 'kmsKeyId'],
        message: `the key is in ${arn.region || 'no region'}, but it encrypts the copy in ${region}; a copy can only use a key of its own region`,
        suggestion: `use a KMS key in ${region}, e.g. a replica of a multi-Region key`,
      }];
    });
  },
};
