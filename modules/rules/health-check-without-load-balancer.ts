import type { FleetRule } from './fleet-rule';

export const healthCheckWithoutLoadBalancer: FleetRule = {
  id: 'health-check-without-load-balancer',
  severity: 'warning',
  doc: 'healthCheckType: ELB is for groups behind a load balancer: every region names targetGroupArns.',
  dataSource: 'EC2 Auto Scaling user guide: health checks (ELB health checks come from the load balancer\'s target groups)',
  check(fleet) {
    if (fleet.autoScaling?.healthCheckType !== 'ELB') return [];
    const without = Object.keys(fleet.regions).filter((r) => (fleet.regions[r].targetGroupArns ?? []).length === 0).sort();
    if (without.length === 0) return [];
    return [{
      path: ['autoScaling', 'healthCheckType'],
      message: `ELB health checks come from a load balancer, but the groups of ${without.join(', ')} register with no target group: `
        + 'nothing but EC2 status checks ever finds an instance unhealthy there',
      suggestion: 'add targetGroupArns to those regions, or use healthCheckType: EC2',
    }];
  },
};
