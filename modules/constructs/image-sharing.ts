import { Construct } from 'constructs';
import { TerraformIterator } from 'cdktf';
import { AmiLaunchPermission } from '@cdktf/provider-aws/lib/ami-launch-permission';
import { SnapshotCreateVolumePermission } from '@cdktf/provider-aws/lib/snapshot-create-volume-permission';
import { EVERY_AWS_ACCOUNT } from '../fleet/fleet-spec';
import type { RegionalImageCopy } from './regional-image-copy';
import { eachValue, snapshotForEach } from './snapshot-for-each';

export interface ImageSharingProps {
  /** The copy to share; the permissions live in its region. */
  readonly copy: RegionalImageCopy;
  /** Device names of the copy's snapshots, known at plan: `ImageSource.snapshotDeviceNames`. */
  readonly snapshotDeviceNames: string[];
  /** Account ids that may launch the copy and create volumes from its snapshots. @default - none */
  readonly accounts?: string[];
  /** Organization ARNs whose accounts may launch the copy. @default - none */
  readonly organizationArns?: string[];
  /** Organizational unit ARNs whose accounts may launch the copy. @default - none */
  readonly organizationalUnitArns?: string[];
  /**
   * `'every-aws-account'` makes the copy public: any AWS account can launch it. Only for
   * unencrypted copies (AWS cannot make an encrypted image public). @default - not public
   */
  readonly public?: typeof EVERY_AWS_ACCOUNT;
}

/**
 * Who else may use a regional image copy: launch permissions (`aws_ami_launch_permission`)
 * per account, organization and OU, plus create-volume permissions on the copy's snapshots
 * (`aws_snapshot_create_volume_permission`, accounts only: AWS has no org form of it) so those
 * accounts can also copy the image into their own account. Keyed by account, ARN and device, and
 * replaced along with the copy, new before old.
 *
 * @example
 * new ImageSharing(stack, 'sharing', {
 *   copy, snapshotDeviceNames: source.snapshotDeviceNames, accounts: ['444455556666'],
 * });
 */
export class ImageSharing extends Construct {
  /** Launch permissions by kind (`accounts`, `organizations`, `organizational-units`, `public`). */
  public readonly launchPermissions: Readonly<Record<string, AmiLaunchPermission>>;
  /** Create-volume permissions on the snapshots, one per snapshot and account. */
  public readonly snapshotPermissions?: SnapshotCreateVolumePermission;

  constructor(scope: Construct, id: string, props: ImageSharingProps) {
    super(scope, id);
    const { copy } = props;
    const accounts = distinct(props.accounts);
    const badAccounts = accounts.filter((a) => !/^\d{12}$/.test(a));
    if (badAccounts.length > 0) {
      throw new Error(`ImageSharing ${this.node.path}: accounts must be 12-digit account ids: ${badAccounts.join(', ')}`);
    }
    if (props.public !== undefined && props.public !== EVERY_AWS_ACCOUNT) {
      throw new Error(`ImageSharing ${this.node.path}: public must be '${EVERY_AWS_ACCOUNT}' to make the copy public, got ${String(props.public)}`);
    }
    if (props.public !== undefined && copy.encrypted) {
      throw new Error(`ImageSharing ${this.node.path}: an encrypted copy cannot be public (AWS refuses); share it with accounts or organizations instead`);
    }
    const targets: Record<string, { values: string[]; attribute: 'accountId' | 'organizationArn' | 'organizationalUnitArn' }> = {
      accounts: { values: accounts, attribute: 'accountId' },
      organizations: { values: distinct(props.organizationArns), attribute: 'organizationArn' },
      'organizational-units': { values: distinct(props.organizationalUnitArns), attribute: 'organizationalUnitArn' },
    };
    const permissions: Record<string, AmiLaunchPermission> = {};
    for (const [kind, { values, attribute }] of Object.entries(targets)) {
      if (values.length === 0) continue;
      const each = TerraformIterator.fromList(values);
      permissions[kind] = new AmiLaunchPermission(this, kind, {
        forEach: each,
        region: copy.region,
        imageId: copy.imageId,
        [attribute]: each.value,
        // Consumers keep access while a new copy replaces the old one.
        lifecycle: { createBeforeDestroy: true },
      });
    }
    if (props.public !== undefined) {
      permissions.public = new AmiLaunchPermission(this, 'public', {
        region: copy.region, imageId: copy.imageId, group: 'all', lifecycle: { createBeforeDestroy: true },
      });
    }
    this.launchPermissions = permissions;
    if (accounts.length > 0) {
      const each = snapshotForEach(props.snapshotDeviceNames, accounts, 'account');
      this.snapshotPermissions = new SnapshotCreateVolumePermission(this, 'snapshot-accounts', {
        forEach: each,
        region: copy.region,
        snapshotId: copy.snapshotIdOn(eachValue('device')),
        accountId: eachValue('account'),
        lifecycle: { createBeforeDestroy: true },
      });
    }
  }
}

function distinct(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort();
}
