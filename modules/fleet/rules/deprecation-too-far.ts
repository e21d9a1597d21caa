import type { FleetRule } from './fleet-rule';

// "10 years from now" is at least 3652 days; 3650 stays inside it whatever the leap years.
const MAX_DAYS = 3650;

export const deprecationTooFar: FleetRule = {
  id: 'deprecation-too-far',
  severity: 'error',
  doc: 'copy.deprecateAfterDays is at most 3650: EC2 deprecates an image at most 10 years ahead.',
  dataSource: 'EC2 EnableImageDeprecation API reference (DeprecateAt upper limit: 10 years from now)',
  check(fleet) {
    const days = fleet.copy.deprecateAfterDays;
    if (days === undefined || days <= MAX_DAYS) return [];
    return [{
      path: ['copy', 'deprecateAfterDays'],
      message: `EC2 deprecates an image at most 10 years ahead (${MAX_DAYS} days), not ${days} days`,
      suggestion: `use at most ${MAX_DAYS}`,
    }];
  },
};
