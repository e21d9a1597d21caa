import { eachIndependently, type FleetRule } from './fleet-rule';

export const adoptedImageInRollout: FleetRule = {
  id: 'adopted-image-in-rollout',
  severity: 'error',
  doc: 'A region that adopts an image (launched as is, never copied) is not in a fleet with source.previous or rollout.',
  dataSource: 'amifleet rollout contract: a region with adopt.image launches that image whatever its wave',
  check(fleet) {
    const rolls = [fleet.source.previous.length > 0 ? 'source.previous' : undefined, fleet.rollout !== undefined ? 'rollout' : undefined]
      .filter((f): f is string => f !== undefined);
    if (rolls.length === 0) return [];
    return eachIndependently(Object.keys(fleet.regions), (region) => (fleet.regions[region].adopt?.image === undefined ? [] : [{
      path: ['regions', region, 'adopt', 'image'],
      message: `${region} launches this image as is, whatever its wave, so it takes no part in the rollout that ${rolls.join(' and ')} ${rolls.length === 1 ? 'sets' : 'set'} up`,
      suggestion: `remove adopt.image to give ${region} copies of the source images, or remove ${rolls.join(' and ')}`,
    }]));
  },
};
