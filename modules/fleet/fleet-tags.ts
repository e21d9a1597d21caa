import type { Fleet } from './fleet-spec';

/** The tags amifleet itself puts on everything of a fleet. */
export function amifleetTags(fleetName: string): Record<string, string> {
  return { Fleet: fleetName, ManagedBy: 'amifleet' };
}

/** Tags amifleet puts on everything it creates; they win over user tags of the same name. */
export function fleetTags(fleet: Fleet, region: string): Record<string, string> {
  const merged: Record<string, string> = {
    ...fleet.tags,
    ...(fleet.regions[region]?.tags ?? {}),
    ...amifleetTags(fleet.fleet),
  };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
}
