import type { FleetRule } from './fleet-rule';

export const imdsv2Optional: FleetRule = {
  id: 'imdsv2-optional',
  severity: 'warning',
  doc: 'Instances require IMDSv2 (session tokens): IMDSv1 lets an SSRF bug read the instance role\'s credentials.',
  dataSource: 'AWS EC2 user guide: configure the instance metadata options (IMDSv2)',
  check(fleet) {
    if (fleet.launchTemplate.metadata.httpTokens !== 'optional') return [];
    return [{
      path: ['launchTemplate', 'metadata', 'httpTokens'],
      message: 'IMDSv1 is allowed (httpTokens: optional): any SSRF in the fleet can read its role credentials',
      suggestion: 'set httpTokens: required, or suppress imdsv2-optional with the reason',
    }];
  },
};
