import type { Fleet } from '../fleet-spec';
import type { FleetRule } from './fleet-rule';

export const healthCheckWithoutLoadBalancer: FleetRule = {
  id: 'health-check-without-load-balancer',
  severity: 'warning',
  doc: 'healthCheckType: ELB is for groups behind a load balancer: every region (of every account) names targetGroupArns.',
  dataSource: 'EC2 Auto Scaling user guide: health checks (ELB health checks come from the load balancer\'s target groups)',
  acrossAccounts: true,
  check(fleet) {
    if (fleet.autoScaling?.healthCheckType !== 'ELB') return [];
    const without = (regions: Fleet['regions'], label: (region: string) => string) =>
      Object.keys(regions).filter((r) => (regions[r].targetGroupArns ?? []).length === 0).sort().map(label);
    const groups = [
      ...without(fleet.regions, (r) => r),
      ...Object.keys(fleet.accounts).sort().flatMap((a) => without(fleet.accounts[a].regions, (r) => `${r} (account ${a})`)),
    ];
    if (groups.length === 0) return [];
    return [{
      path: ['autoScaling', 'healthCheckType'],
      message: `ELB health checks come from a load balancer, but the groups of ${groups.join(', ')} register with no target group: `
        + 'nothing but EC2 status checks ever finds an instance unhealthy there',
      suggestion: 'add targetGroupArns to those regions, or use healthCheckType: EC2',
    }];
  },
};
