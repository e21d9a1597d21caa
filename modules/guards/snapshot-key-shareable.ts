import type { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { requireTerraform } from '../rendering/terraform-version';

/**
 * A KMS key that encrypts a source image's snapshot is customer managed: AWS managed keys
 * (`aws/ebs`) take no grants or key policy for other accounts, so no account could copy the
 * image. A postcondition on the key's `aws_kms_key`, read at plan.
 */
export function snapshotKeyShareable(key: DataAwsKmsKey, fleet: string): void {
  requireTerraform(key, 'preconditions and postconditions');
  key.lifecycle = {
    ...(key.lifecycle ?? {}),
    postcondition: [...(key.lifecycle?.postcondition ?? []), {
      condition: '${self.key_manager == "CUSTOMER"}',
      errorMessage: `amifleet fleet ${fleet}, source image: its snapshots are encrypted with \${self.arn}, an AWS managed key (aws/ebs), `
        + 'which cannot be shared with other accounts. Fix: copy the image re-encrypted with a customer managed key '
        + '(aws ec2 copy-image --encrypted --kms-key-id <key ARN>) and point source at the copy.',
    }],
  };
}
