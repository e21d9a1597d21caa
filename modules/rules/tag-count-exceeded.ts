import { fleetTags } from '../fleet-tags';
import type { FleetRule, RuleFinding } from './fleet-rule';

const MAX_TAGS = 50;

export const tagCountExceeded: FleetRule = {
  id: 'tag-count-exceeded',
  severity: 'error',
  doc: 'Each resource gets at most 50 tags, counting the fleet\'s, the region\'s and amifleet\'s own (Fleet, ManagedBy).',
  dataSource: 'AWS tagging limits (EC2 User Guide, "Tag restrictions": 50 tags per resource)',
  check(fleet) {
    const own = Object.keys(fleetTags({ ...fleet, tags: {}, regions: {} }, '')).length;
    const fleetWide = Object.keys(fleetTags({ ...fleet, regions: {} }, '')).length;
    if (fleetWide > MAX_TAGS) {
      return [{ path: ['tags'], message: `with amifleet's own ${own}, every resource gets ${fleetWide} tags; AWS allows at most ${MAX_TAGS}` }];
    }
    return Object.entries(fleet.regions).flatMap(([region, s]): RuleFinding[] => {
      const count = Object.keys(fleetTags(fleet, region)).length;
      if (s.tags === undefined || count <= MAX_TAGS) return [];
      return [{
        path: ['regions', region, 'tags'],
        message: `with the fleet's tags and amifleet's own ${own}, the resources in ${region} get ${count} tags; AWS allows at most ${MAX_TAGS}`,
      }];
    });
  },
};
