import type { FleetRule } from './fleet-rule';

export const s3StateWithoutLocking: FleetRule = {
  id: 's3-state-without-locking',
  severity: 'warning',
  doc: 'S3 state is locked (state.lockfile): without a lock, two applies of one stack at once can corrupt its state.',
  dataSource: 'Terraform S3 backend documentation: state locking (use_lockfile)',
  check(fleet) {
    if (fleet.state.backend !== 's3' || fleet.state.lockfile) return [];
    return [{
      path: ['state', 'lockfile'],
      message: 'S3 state without a lock: two applies of one stack at once (a CI retry, a second pipeline) both write '
        + 'its state; the last write wins, and what the other created is no longer tracked',
      suggestion: 'remove lockfile: false (S3 native locking, Terraform 1.10+), or suppress s3-state-without-locking with the reason '
        + '(e.g. a DynamoDB lock given to terraform init -backend-config)',
    }];
  },
};
