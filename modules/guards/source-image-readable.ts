import type { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { DataAwsAmiIds } from '@cdktf/provider-aws/lib/data-aws-ami-ids';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { requireTerraform } from '../rendering/terraform-version';
import type { AccountGuarded } from './assumed-role-account';

export interface SourceImageReadableProps extends AccountGuarded {
  /** The source region, where each image is read. */
  readonly region: string;
  /** The images the account's copies start from (source.ami and source.previous, or what a lookup resolves to). */
  readonly imageIds: readonly string[];
  /** The provider of the credentials' own account, which owns the images (the share stack's account). */
  readonly owner: TerraformProvider;
  /** Other owners a lookup names besides `self`, whose images it may resolve to. @default none */
  readonly otherOwners?: readonly string[];
  /** The share stack that grants the images to the account. */
  readonly shareStack: string;
  /** What the reads wait for (the assumed role's guard), so a wrong account shows that message alone. */
  readonly after: DataAwsCallerIdentity;
}

/**
 * Each source image is readable from the account (its owner shared it): `aws_ami_ids`, which
 * finds nothing rather than failing as `aws_ami` does, read with the account's role, with a
 * postcondition that names the share stack to apply first.
 */
export function sourceImageReadable(scope: Construct, props: SourceImageReadableProps): DataAwsAmiIds[] {
  const owner = new DataAwsCallerIdentity(scope, 'source-owner-identity', { provider: props.owner });
  return props.imageIds.map((imageId, index) => {
    const read = new DataAwsAmiIds(scope, `source-readable-${index}`, {
      region: props.region,
      // aws_ami_ids needs owners: the images are the credentials' own account's (sourceNeedsSharing), or a lookup's other owners'.
      owners: [owner.accountId, ...(props.otherOwners ?? [])],
      includeDeprecated: true,
      filter: [{ name: 'image-id', values: [imageId] }],
      dependsOn: [props.after],
    });
    requireTerraform(read, 'preconditions and postconditions');
    read.lifecycle = {
      postcondition: [{
        condition: '${length(self.ids) > 0}',
        errorMessage: `amifleet fleet ${props.fleet}: ${imageId} is not readable from account ${props.account} (${props.settings.id}): `
          + `apply the share stack ${props.shareStack} first (or share it from its owner).`,
      }],
    };
    return read;
  });
}
