import { Construct } from 'constructs';
import { TerraformIterator, Token } from 'cdktf';
import { AmiLaunchPermission } from '@cdktf/provider-aws/lib/ami-launch-permission';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEbsSnapshot } from '@cdktf/provider-aws/lib/data-aws-ebs-snapshot';
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant';
import { SnapshotCreateVolumePermission } from '@cdktf/provider-aws/lib/snapshot-create-volume-permission';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';
import type { ImageSource } from './image-source';
import { eachValue, snapshotForEach } from './snapshot-for-each';
import { sourceImageOwned } from '../guards/source-image-owned';
import { snapshotKeyShareable } from '../guards/snapshot-key-shareable';
import { requireTerraform } from '../rendering/terraform-version';

/** What a KMS grant lets a target account's role do with the source key: copy the image and re-encrypt it with its own key. */
export const SOURCE_KEY_GRANT_OPERATIONS: readonly string[] = [
  'Decrypt', 'DescribeKey', 'CreateGrant', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
];

/** An account the source image is shared with. */
export interface SourceShareAccount {
  /** Its 12-digit id: launch and create-volume permissions name it. */
  readonly id: string;
  /** The principal that copies the image there (the role its stacks assume): the KMS grants' grantee. */
  readonly roleArn: string;
}

export interface SourceImageSharingProps {
  /** The fleet's name: it names the KMS grants (`amifleet-<fleet>-<account>`) and the guards' messages. */
  readonly fleet: string;
  /** The source image, and its previous images: every one is shared. Read in its region, where the permissions live. */
  readonly source: ImageSource;
  /** The accounts by name (construct keys): each gets every image. */
  readonly accounts: Readonly<Record<string, SourceShareAccount>>;
}

/** One shared image's permissions. */
export interface SharedSourceImage {
  /** The image id (a Terraform reference for a lookup or SSM parameter source). */
  readonly imageId: string;
  /** Launch permissions, one per account, keyed by account name. */
  readonly launchPermissions: AmiLaunchPermission;
  /** Create-volume permissions, one per snapshot and account, keyed `<device>|<account>`. */
  readonly snapshotPermissions: SnapshotCreateVolumePermission;
}

/**
 * What other accounts need to copy a source image they do not own (CopyImage runs in the
 * target account): launch permission on every kept image, create-volume permission on its EBS
 * snapshots, and, for snapshots encrypted with a customer managed key, a KMS grant on that key
 * to each account's role. Lives in the account that owns the image (guarded at plan), in the
 * source region. Keyed by image id and account name, so a release or a new account only adds.
 *
 * @example
 * const source = new ImageSource(stack, 'source', { region: 'us-east-1', ami: 'ami-0aaaaaaaaaaaaaaaa' });
 * new SourceImageSharing(stack, 'sharing', {
 *   fleet: 'shop', source,
 *   accounts: { prod: { id: '444455556666', roleArn: 'arn:aws:iam::444455556666:role/amifleet-deploy' } },
 * });
 */
export class SourceImageSharing extends Construct {
  /** Every shared image's permissions, by image key: the pinned id, or `source` for a lookup or SSM parameter. */
  public readonly images: Readonly<Record<string, SharedSourceImage>>;
  /** The keys of the source snapshots (by ARN), read at plan; AWS managed ones fail the plan. */
  public readonly snapshotKeys: DataAwsKmsKey;
  /** One grant per customer managed key and account, keyed `<key ARN>|<account>`. */
  public readonly grants: KmsGrant;

  constructor(scope: Construct, id: string, props: SourceImageSharingProps) {
    super(scope, id);
    const { source, fleet } = props;
    const names = Object.keys(props.accounts).sort();
    if (names.length === 0) throw new Error(`SourceImageSharing ${this.node.path}: give at least one account to share the source image with`);
    const bad = names.filter((n) => !/^\d{12}$/.test(props.accounts[n].id));
    if (bad.length > 0) throw new Error(`SourceImageSharing ${this.node.path}: account ids must be 12 digits: ${bad.join(', ')}`);
    requireTerraform(this, 'one()');
    const region = source.region;
    const ids = Object.fromEntries(names.map((n) => [n, props.accounts[n].id]));
    const roles = Object.fromEntries(names.map((n) => [n, props.accounts[n].roleArn]));
    const caller = new DataAwsCallerIdentity(this, 'caller', {});

    // A pinned id keys its permissions; a lookup's or parameter's image is known only at plan.
    const kept = [
      { key: Token.isUnresolved(source.imageId) ? 'source' : source.imageId, imageId: source.imageId, image: source.image, devices: source.snapshotDeviceNames },
      ...source.previous.map((p) => ({ key: p.imageId, imageId: p.imageId, image: p.image, devices: p.snapshotDeviceNames })),
    ];
    const snapshotReads: DataAwsEbsSnapshot[] = [];
    const images: Record<string, SharedSourceImage> = {};
    for (const { key, imageId, image, devices } of kept) {
      sourceImageOwned(image, caller, fleet);
      const scopeOfImage = new Construct(this, key);
      const snapshots = new DataAwsEbsSnapshot(scopeOfImage, 'snapshot', {
        forEach: TerraformIterator.fromList(devices),
        region,
        snapshotIds: [snapshotIdOn(image)],
      });
      snapshotReads.push(snapshots);
      const launchPermissions = new AmiLaunchPermission(scopeOfImage, 'launch-permission', {
        forEach: TerraformIterator.fromMap(ids),
        region,
        imageId,
        accountId: hclExpression(() => 'each.value'),
      });
      const snapshotPermissions = new SnapshotCreateVolumePermission(scopeOfImage, 'snapshot-permission', {
        forEach: snapshotForEach(devices, names, 'account'),
        region,
        snapshotId: hclExpression(() => `${hclAddress(snapshots)}[each.value.device].id`),
        accountId: hclExpression((hcl) => `${hcl(ids)}[each.value.account]`),
      });
      images[key] = { imageId, launchPermissions, snapshotPermissions };
    }
    this.images = images;

    // Every key of every kept image's encrypted snapshots, once: a grant is per key and account, whatever the images.
    this.snapshotKeys = new DataAwsKmsKey(this, 'snapshot-key', {
      forEach: TerraformIterator.fromList(Token.asList(hclExpression(() =>
        `flatten([${snapshotReads.map((s) => `[ for s in values(${hclAddress(s)}): s.kms_key_id if s.encrypted ]`).join(', ')}])`))),
      region,
      keyId: hclExpression(() => 'each.key'),
    });
    snapshotKeyShareable(this.snapshotKeys, fleet);
    const keys = hclAddress(this.snapshotKeys);
    this.grants = new KmsGrant(this, 'grant', {
      forEach: TerraformIterator.fromMap(Token.asAnyMap(hclExpression((hcl) =>
        `{ for pair in setproduct([ for arn, key in ${keys}: arn if key.key_manager == "CUSTOMER" ], ${hcl(names)}): "\${pair[0]}|\${pair[1]}" => { key = pair[0], account = pair[1] } }`))),
      region,
      name: `amifleet-${fleet}-${eachValue('account')}`,
      keyId: eachValue('key'),
      granteePrincipal: hclExpression((hcl) => `${hcl(roles)}[each.value.account]`),
      operations: [...SOURCE_KEY_GRANT_OPERATIONS],
    });
  }
}

/** The snapshot id on `each.key`'s device of an image, for a resource iterating its device names. */
function snapshotIdOn(image: DataAwsAmi): string {
  return hclExpression(() => `one([ for m in ${hclAddress(image)}.block_device_mappings: m.ebs.snapshot_id if m.device_name == each.key ])`);
}
