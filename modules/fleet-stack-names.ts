import type { Fleet } from './fleet-spec';

/** The stack names a fleet gets: `<fleet>-<region>` per region, or `<fleet>` for `layout: single`. */
export function fleetStackNames(fleet: Pick<Fleet, 'fleet' | 'regions' | 'layout'>): Record<string, string[]> {
  const regions = Object.keys(fleet.regions).sort();
  if (fleet.layout === 'single') return { [fleet.fleet]: regions };
  return Object.fromEntries(regions.map((r) => [`${fleet.fleet}-${r}`, [r]]));
}
