import type { TerraformCondition } from 'cdktf';
import type { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { requireTerraform } from '../terraform-version';

/**
 * The source image is available, and (for a lookup) not deprecated unless the fleet allows
 * it: postconditions on the source's `aws_ami`, so a plan stops before any region copies it.
 */
export function sourceImageUsable(image: DataAwsAmi, fleet: string, includeDeprecated: boolean): void {
  const where = `amifleet fleet ${fleet}, source image`;
  const conditions: TerraformCondition[] = [{
    condition: '${self.state == "available"}',
    errorMessage: `${where}: the source image is not available (its state is not "available"). Fix: wait for it, or point source at an available image.`,
  }];
  requireTerraform(image, 'preconditions and postconditions');
  if (!includeDeprecated) {
    requireTerraform(image, 'timecmp()');
    requireTerraform(image, 'plantimestamp()');
    conditions.push({
      // An image that was never deprecated has no deprecation_time, and timecmp("") fails: try() reads that as fine.
      condition: '${try(timecmp(self.deprecation_time, plantimestamp()) > 0, true)}',
      errorMessage: `${where}: the image the lookup found is deprecated. Fix: point source.lookup at a current image, or set source.lookup.includeDeprecated: true to accept it.`,
    });
  }
  image.lifecycle = { ...(image.lifecycle ?? {}), postcondition: [...(image.lifecycle?.postcondition ?? []), ...conditions] };
}
