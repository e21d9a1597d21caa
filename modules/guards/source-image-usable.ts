import type { TerraformCondition } from 'cdktf';
import type { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { requireTerraform } from '../rendering/terraform-version';

/** The lookup settings that decide which of the source image's checks AWS's answer leaves open. */
export interface SourceLookupGuarded {
  readonly owners: readonly string[];
  readonly filters?: Readonly<Record<string, readonly string[]>>;
  readonly includeDeprecated?: boolean;
}

/**
 * The source image is available and, for a lookup, not deprecated unless the fleet allows it:
 * postconditions on the source's `aws_ami`, so a plan stops before any region copies it. Each
 * is written only where DescribeImages can return such an image (pass the lookup, if any).
 * `ImageSource` adds it to its image unless told not to.
 */
export function sourceImageUsable(image: DataAwsAmi, fleet?: string, lookup?: SourceLookupGuarded): void {
  const where = fleet === undefined ? 'amifleet source image' : `amifleet fleet ${fleet}, source image`;
  const conditions: TerraformCondition[] = [];
  // A lookup asks for state=available (ImageSource) unless its filters say otherwise; an id is described in any state.
  const state = lookup?.filters?.state;
  if (lookup === undefined || (state !== undefined && !(state.length === 1 && state[0] === 'available'))) {
    conditions.push({
      condition: '${self.state == "available"}',
      errorMessage: `${where}: the source image is not available (its state is not "available"). Fix: wait for it, or point source at an available image.`,
    });
  }
  // AWS leaves deprecated images out of a lookup, except the caller's own: only owners that can be the caller see one.
  if (lookup !== undefined && !lookup.includeDeprecated && lookup.owners.some((o) => o === 'self' || /^\d{12}$/.test(o))) {
    requireTerraform(image, 'timecmp()');
    requireTerraform(image, 'plantimestamp()');
    conditions.push({
      // An image that was never deprecated has no deprecation_time, and timecmp("") fails: try() reads that as fine.
      condition: '${try(timecmp(self.deprecation_time, plantimestamp()) > 0, true)}',
      errorMessage: `${where}: the image the lookup found is deprecated. Fix: point source.lookup at a current image, or set source.lookup.includeDeprecated: true to accept it.`,
    });
  }
  if (conditions.length === 0) return;
  requireTerraform(image, 'preconditions and postconditions');
  image.lifecycle = { ...(image.lifecycle ?? {}), postcondition: [...(image.lifecycle?.postcondition ?? []), ...conditions] };
}
