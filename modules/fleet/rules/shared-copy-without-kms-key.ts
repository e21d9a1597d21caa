import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';

export const sharedCopyWithoutKmsKey: FleetRule = {
  id: 'shared-copy-without-kms-key',
  severity: 'warning',
  doc: 'A region that shares encrypted copies names its own KMS key: images encrypted with the AWS-managed aws/ebs key cannot be shared.',
  dataSource: 'AWS EC2 user guide: share an AMI with specific AWS accounts (encrypted AMIs)',
  check(fleet) {
    const share = fleet.copy.shareWith;
    const shares = share !== undefined && (share.accounts.length + share.organizationArns.length + share.organizationalUnitArns.length) > 0;
    if (!shares || !fleet.copy.encrypted) return [];
    return eachIndependently(Object.entries(fleet.regions), ([region, s]): RuleFinding[] => (s.kmsKeyId !== undefined || s.adopt?.image !== undefined ? [] : [{
      path: ['regions', region], atKey: true,
      message: 'shares encrypted copies but names no kmsKeyId: with the default aws/ebs key, consumers cannot launch them',
      suggestion: `set regions.${region}.kmsKeyId to a customer managed key whose policy grants the consumers, or suppress shared-copy-without-kms-key if the account's default EBS key is one`,
    }]));
  },
};
