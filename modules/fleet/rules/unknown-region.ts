import { awsCatalog } from '../aws-catalog';
import { didYouMean } from '../closest-name';
import { eachIndependently, independentParts, type FleetRule, type RuleFinding } from './fleet-rule';

export const unknownRegion: FleetRule = {
  id: 'unknown-region',
  severity: 'error',
  doc: 'Every region (fleet regions, source region, S3 state region) is a region AWS has, in any partition.',
  dataSource: 'AWS SDK for JavaScript endpoint partitions (@aws-sdk/core), via modules/fleet/aws-catalog.json',
  check(fleet) {
    const known = awsCatalog().regions;
    const check = (name: string, path: (string | number)[], atKey = false): RuleFinding[] => (known.has(name) ? [] : [{
      path, atKey, message: `unknown region "${name}"`, suggestion: didYouMean(name, known.keys()),
    }]);
    return independentParts(
      () => check(fleet.source.region, ['source', 'region']),
      () => eachIndependently(Object.keys(fleet.regions), (r) => check(r, ['regions', r], true)),
      () => (fleet.state.backend === 's3' ? check(fleet.state.region, ['state', 'region']) : []),
    );
  },
};
