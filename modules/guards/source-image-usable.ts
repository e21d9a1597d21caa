import type { TerraformCondition } from 'cdktf';
import type { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';

/**
 * The looked-up source image is available, and not deprecated unless the fleet allows it:
 * postconditions on the lookup, so a plan stops before any region copies it.
 */
export function sourceImageUsable(image: DataAwsAmi, fleet: string, includeDeprecated: boolean): void {
  const where = `amifleet fleet ${fleet}, source image`;
  const conditions: TerraformCondition[] = [{
    condition: '${self.state == "available"}',
    errorMessage: `${where}: the image the lookup found is not available (state is not "available"). Fix: wait for it, or narrow source.lookup to an available image.`,
  }];
  if (!includeDeprecated) {
    conditions.push({
      // An image that was never deprecated has no deprecation_time, and timecmp("") fails: try() reads that as fine.
      condition: '${try(timecmp(self.deprecation_time, plantimestamp()) > 0, true)}',
      errorMessage: `${where}: the image the lookup found is deprecated. Fix: point source.lookup at a current image, or set source.lookup.includeDeprecated: true to accept it.`,
    });
  }
  image.lifecycle = { ...(image.lifecycle ?? {}), postcondition: [...(image.lifecycle?.postcondition ?? []), ...conditions] };
}
