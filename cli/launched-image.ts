import type { Fleet } from '../modules/fleet/fleet-spec';
import type { FleetRollout } from '../modules/fleet/rollout';

/**
 * The pinned image a region's launch template launches, and why: `ami-… (promoted)`,
 * `(previous)` or `(adopted)`; undefined for a lookup or SSM parameter source, resolved at plan.
 */
export function launchedImageText(fleet: Fleet, rollout: FleetRollout, region: string): string | undefined {
  const adopted = fleet.regions[region].adopt?.image;
  if (adopted !== undefined) return `${adopted} (adopted)`;
  const { sourceImage, promoted } = rollout.regions[region];
  return sourceImage === undefined ? undefined : `${sourceImage} (${promoted ? 'promoted' : 'previous'})`;
}
