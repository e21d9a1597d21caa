// The names amifleet gives stacks and AWS resources, in one place so the rules check exactly what is created.
import type { Fleet } from './fleet-spec';

/** An image copy's name; the source id in it means a new image never collides with the copy it replaces. */
export function imageCopyName(fleet: string, sourceImageId: string): string {
  return `${fleet}-${sourceImageId}`;
}

/** A launch template's name: the fleet's, unique in each region. */
export function launchTemplateName(fleet: string): string {
  return fleet;
}

/** The longest id EC2 gives an image (ami- and 17 hex digits): the worst case for a copy name. */
export const LONGEST_IMAGE_ID = `ami-${'f'.repeat(17)}`;

/** The stack names a fleet gets: `<fleet>-<region>` per region, or `<fleet>` for `layout: single`. */
export function fleetStackNames(fleet: Pick<Fleet, 'fleet' | 'regions' | 'layout'>): Record<string, string[]> {
  const regions = Object.keys(fleet.regions).sort();
  if (fleet.layout === 'single') return { [fleet.fleet]: regions };
  return Object.fromEntries(regions.map((r) => [`${fleet.fleet}-${r}`, [r]]));
}
