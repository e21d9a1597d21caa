import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';

export const kmsKeyWithoutEncryption: FleetRule = {
  id: 'kms-key-without-encryption',
  severity: 'error',
  doc: 'A region names a KMS key only when copies are encrypted (copy.encrypted is not false).',
  dataSource: 'EC2 CopyImage API reference (KmsKeyId needs Encrypted)',
  check(fleet) {
    if (fleet.copy.encrypted) return [];
    return eachIndependently(Object.entries(fleet.regions), ([region, s]): RuleFinding[] => (s.kmsKeyId === undefined ? [] : [{
      path: ['regions', region, 'kmsKeyId'],
      message: 'a KMS key needs encrypted copies, but copy.encrypted is false',
      suggestion: 'remove kmsKeyId, or set copy.encrypted: true',
    }]));
  },
};
