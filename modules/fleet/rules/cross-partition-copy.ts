import { awsRegion } from '../aws-catalog';
import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';

export const crossPartitionCopy: FleetRule = {
  id: 'cross-partition-copy',
  severity: 'error',
  doc: 'Every fleet region is in the source region\'s partition: CopyImage cannot cross partitions (aws, aws-cn, aws-us-gov, ...).',
  dataSource: 'AWS SDK for JavaScript endpoint partitions (@aws-sdk/core), via modules/fleet/aws-catalog.json',
  check(fleet) {
    const source = awsRegion(fleet.source.region);
    if (!source) return [];
    return eachIndependently(Object.keys(fleet.regions), (name): RuleFinding[] => {
      const region = awsRegion(name);
      if (!region || region.partition === source.partition) return [];
      return [{
        path: ['regions', name], atKey: true,
        message: `is in partition ${region.partition}, but the source image (${source.name}) is in ${source.partition}; an image cannot be copied between partitions`,
        suggestion: `give ${region.partition} regions a fleet of their own, with a source in ${region.partition}`,
      }];
    });
  },
};
