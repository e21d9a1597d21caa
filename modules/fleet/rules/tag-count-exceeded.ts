import { amifleetTags } from '../fleet-tags';
import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';

const MAX_TAGS = 50;
const OWN_KEYS = Object.keys(amifleetTags(''));

/** How many tags a resource gets from these maps of tags and amifleet's own (a key counts once). */
function tagCount(...maps: Readonly<Record<string, string>>[]): number {
  return new Set([...maps.flatMap((tags) => Object.keys(tags)), ...OWN_KEYS]).size;
}

export const tagCountExceeded: FleetRule = {
  id: 'tag-count-exceeded',
  severity: 'error',
  doc: 'Each resource gets at most 50 tags, counting the fleet\'s, the region\'s and amifleet\'s own (Fleet, ManagedBy).',
  dataSource: 'AWS tagging limits (EC2 User Guide, "Tag restrictions": 50 tags per resource)',
  check(fleet) {
    const own = OWN_KEYS.length;
    const fleetWide = tagCount(fleet.tags);
    if (fleetWide > MAX_TAGS) {
      return [{ path: ['tags'], message: `with amifleet's own ${own}, every resource gets ${fleetWide} tags; AWS allows at most ${MAX_TAGS}` }];
    }
    return eachIndependently(Object.entries(fleet.regions), ([region, s]): RuleFinding[] => {
      if (s.tags === undefined) return [];
      const count = tagCount(fleet.tags, s.tags);
      if (count <= MAX_TAGS) return [];
      return [{
        path: ['regions', region, 'tags'],
        message: `with the fleet's tags and amifleet's own ${own}, the resources in ${region} get ${count} tags; AWS allows at most ${MAX_TAGS}`,
      }];
    });
  },
};
