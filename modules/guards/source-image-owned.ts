import type { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import type { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';
import { requireTerraform } from '../rendering/terraform-version';

/**
 * The source image is owned by the account of the credentials Terraform runs with: only the
 * owner can share it (and its snapshots) with other accounts. A postcondition on the image's
 * `aws_ami`, so the plan stops before reading snapshots it may not see.
 */
export function sourceImageOwned(image: DataAwsAmi, caller: DataAwsCallerIdentity, fleet: string): void {
  requireTerraform(image, 'preconditions and postconditions');
  image.lifecycle = {
    ...(image.lifecycle ?? {}),
    postcondition: [...(image.lifecycle?.postcondition ?? []), {
      condition: hclExpression(() => `self.owner_id == ${hclAddress(caller)}.account_id`),
      errorMessage: `amifleet fleet ${fleet}, source image \${self.id}: it is owned by account \${self.owner_id}, not by the account of these credentials `
        + `(\${${hclAddress(caller)}.account_id}), so this stack cannot share it with the fleet's accounts. Fix: run the share stack with the owner's `
        + 'credentials; or, for a public image or one its owner already shares with every account, use source.lookup with that owner '
        + '(e.g. owners: ["amazon"]): such a source needs no share stack.',
    }],
  };
}
