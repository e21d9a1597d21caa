import type { FleetRule } from './fleet-rule';

export const hopLimitAboveOne: FleetRule = {
  id: 'hop-limit-above-one',
  severity: 'warning',
  doc: 'The IMDS hop limit stays 1 unless a reason is given: above 1, containers on the host can reach the instance role.',
  dataSource: 'AWS EC2 user guide: instance metadata options (PutResponseHopLimit)',
  check(fleet) {
    const { hopLimit } = fleet.launchTemplate.metadata;
    if (hopLimit <= 1) return [];
    return [{
      path: ['launchTemplate', 'metadata', 'hopLimit'],
      message: `hop limit ${hopLimit} lets containers on the instance reach its metadata and role credentials`,
      suggestion: 'set hopLimit: 1, or suppress hop-limit-above-one with the reason (e.g. containers that need the instance role)',
    }];
  },
};
