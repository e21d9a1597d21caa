import type { Fleet } from '../fleet-spec';

/** Each map of tags a fleet file holds, with its path: the fleet's, then each region's. */
export function fleetTagSets(fleet: Fleet): { path: (string | number)[]; tags: Readonly<Record<string, string>> }[] {
  return [
    { path: ['tags'], tags: fleet.tags },
    ...Object.entries(fleet.regions).filter(([, s]) => s.tags !== undefined)
      .map(([region, s]) => ({ path: ['regions', region, 'tags'], tags: s.tags as Record<string, string> })),
  ];
}
