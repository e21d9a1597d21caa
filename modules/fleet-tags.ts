import type { Fleet } from './fleet-spec';

/** Tags amifleet puts on everything it creates; they win over user tags of the same name. */
export function fleetTags(fleet: Fleet, region: string): Record<string, string> {
  const merged: Record<string, string> = {
    ...fleet.tags,
    ...(fleet.regions[region]?.tags ?? {}),
    Fleet: fleet.fleet,
    ManagedBy: 'amifleet',
  };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
}
