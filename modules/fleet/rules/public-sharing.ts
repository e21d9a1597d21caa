import type { FleetRule } from './fleet-rule';

export const publicSharing: FleetRule = {
  id: 'public-sharing',
  severity: 'warning',
  doc: 'Copies are not shared with every AWS account unless the fleet says why.',
  dataSource: 'AWS EC2 user guide: make an AMI public',
  check(fleet) {
    if (fleet.copy.shareWith?.public === undefined) return [];
    return [{
      path: ['copy', 'shareWith', 'public'],
      message: 'every AWS account can launch these copies, and read what is on their disks',
      suggestion: 'share with accounts or organizations instead, or suppress public-sharing with the reason',
    }];
  },
};
