import type { Fleet } from '../fleet-spec';
import { eachIndependently, independentParts, type RuleFinding } from './fleet-rule';

/** One map of tags a fleet file holds, with its path. */
export interface TagSet {
  readonly path: (string | number)[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Checks each map of tags a fleet file holds, the fleet's and each region's, independently of the others. */
export function eachTagSet(fleet: Fleet, check: (set: TagSet) => RuleFinding[]): RuleFinding[] {
  return independentParts(
    () => check({ path: ['tags'], tags: fleet.tags }),
    () => eachIndependently(Object.keys(fleet.regions), (region) => {
      const tags = fleet.regions[region].tags;
      return tags === undefined ? [] : check({ path: ['regions', region, 'tags'], tags });
    }),
  );
}
