import { eachAccountRegion, type FleetRule, type RuleFinding } from './fleet-rule';
import { parseArn } from './arn';

export const kmsKeyAccountMismatch: FleetRule = {
  id: 'kms-key-account-mismatch',
  severity: 'error',
  doc: 'An account\'s KMS keys are that account\'s: its copies are encrypted by its role, which can use another account\'s key only through that key\'s grants.',
  dataSource: 'EC2 CopyImage (KmsKeyId; cross-account keys need key policy grants); the account is read from the key ARN',
  acrossAccounts: true,
  check(fleet) {
    return eachAccountRegion(fleet, ({ name, id }, region, settings): RuleFinding[] => {
      const arn = settings.kmsKeyId === undefined ? undefined : parseArn(settings.kmsKeyId);
      if (!arn || arn.account === id) return [];
      return [{
        path: ['accounts', name, 'regions', region, 'kmsKeyId'],
        message: `the key is in account ${arn.account}, but it encrypts the copy of account ${name} (${id}), which can use it only if that key's policy grants ${name}'s role`,
        suggestion: `use a key of ${id} in ${region}, or leave kmsKeyId out for ${name}'s default EBS key`,
      }];
    });
  },
};
