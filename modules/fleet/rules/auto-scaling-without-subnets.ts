import { eachIndependently, type FleetRule } from './fleet-rule';

export const autoScalingWithoutSubnets: FleetRule = {
  id: 'auto-scaling-without-subnets',
  severity: 'error',
  doc: 'With autoScaling, every region names the subnets its Auto Scaling group launches instances in.',
  dataSource: 'EC2 Auto Scaling CreateAutoScalingGroup reference (VPCZoneIdentifier: the subnets of the group)',
  check(fleet) {
    if (fleet.autoScaling === undefined) return [];
    return eachIndependently(Object.keys(fleet.regions), (region) => {
      const subnets = fleet.regions[region].subnetIds;
      if (subnets !== undefined && subnets.length > 0) return [];
      return [{
        path: subnets === undefined ? ['regions', region] : ['regions', region, 'subnetIds'],
        atKey: subnets === undefined,
        message: `${subnets === undefined ? 'names no subnetIds' : 'lists no subnets'}, but autoScaling gives ${region} an Auto Scaling group, which launches its instances in the region's subnets`,
        suggestion: `add subnetIds: [subnet-...], subnets of ${region} in the Availability Zones the group spreads over`,
      }];
    });
  },
};
