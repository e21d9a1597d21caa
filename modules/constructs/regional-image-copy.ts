import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';
import { requireTerraform } from '../rendering/terraform-version';
import { AmiCopy } from '@cdktf/provider-aws/lib/ami-copy';

export interface RegionalImageCopyProps {
  /** Region the copy is made in. */
  readonly region: string;
  /** The image to copy. */
  readonly sourceImageId: string;
  /** Region of the image to copy. */
  readonly sourceRegion: string;
  /**
   * Copy name, unique per region: it should change with every input that replaces the copy
   * (`imageCopyName`). Only a replacement takes a new name: a change of the name alone is ignored.
   */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** Encrypt the copy's snapshots. @default true */
  readonly encrypted?: boolean;
  /** KMS key ARN in `region`. @default - the account's default EBS key */
  readonly kmsKeyId?: string;
  /** @default - no tags */
  readonly tags?: Readonly<Record<string, string>>;
  /** Deprecate the copy this many days after it is created. @default - never */
  readonly deprecateAfterDays?: number;
  /** Create and delete timeout of the copy. @default - the provider's (40 minutes) */
  readonly timeoutMinutes?: number;
}

/**
 * One region's copy of a golden image (`aws_ami_copy`), encrypted by default. A replacement (a
 * new source image, key, ...) creates the new copy before the old one is destroyed.
 *
 * @example
 * const copy = new RegionalImageCopy(stack, 'copy', {
 *   region: 'eu-west-1', sourceRegion: 'us-east-1', sourceImageId: 'ami-0123456789abcdef0',
 *   name: 'web-ami-0123456789abcdef0',
 * });
 * copy.imageId; // the copy's id in eu-west-1
 */
export class RegionalImageCopy extends Construct {
  /** The copy's image id in `region`. */
  public readonly imageId: string;
  /** Device name of the copy's root volume, e.g. `/dev/xvda`. */
  public readonly rootDeviceName: string;
  public readonly region: string;
  /** Whether the copy's snapshots are encrypted. */
  public readonly encrypted: boolean;
  public readonly resource: AmiCopy;

  constructor(scope: Construct, id: string, props: RegionalImageCopyProps) {
    super(scope, id);
    const encrypted = props.encrypted ?? true;
    if (props.kmsKeyId !== undefined && !encrypted) {
      throw new Error(`RegionalImageCopy ${this.node.path}: kmsKeyId needs encrypted copies`);
    }
    // A copy keeps the name it was made with: names are not updatable in place, and a replacement (a new object) takes the configured one.
    const ignoreChanges: string[] = ['name'];
    let deprecationTime: string | undefined;
    if (props.deprecateAfterDays !== undefined) {
      // plantimestamp() is only read when the copy is created; ignore_changes keeps later plans clean.
      deprecationTime = Fn.timeadd(Fn.plantimestamp(), `${props.deprecateAfterDays * 24}h`);
      requireTerraform(this, 'plantimestamp()');
      ignoreChanges.push('deprecation_time');
    }
    const timeout = props.timeoutMinutes !== undefined ? `${props.timeoutMinutes}m` : undefined;
    this.region = props.region;
    this.encrypted = encrypted;
    this.resource = new AmiCopy(this, 'image', {
      region: props.region,
      name: props.name,
      description: props.description,
      sourceAmiId: props.sourceImageId,
      sourceAmiRegion: props.sourceRegion,
      encrypted,
      kmsKeyId: props.kmsKeyId,
      deprecationTime,
      tags: props.tags ? { ...props.tags } : undefined,
      timeouts: timeout ? { create: timeout, delete: timeout } : undefined,
      lifecycle: {
        createBeforeDestroy: true,
        ignoreChanges,
      },
    });
    this.imageId = this.resource.id;
    this.rootDeviceName = this.resource.rootDeviceName;
  }

  /**
   * The id of the copy's snapshot on a device, known once the copy exists.
   *
   * @param deviceName a device name such as `/dev/xvda`, or a token giving one (`each.getString('device')`)
   */
  public snapshotIdOn(deviceName: string): string {
    const resource = this.resource;
    requireTerraform(this, 'one()');
    // What `Fn.one(TerraformIterator.fromList(ebsBlockDevice).forExpressionForList(...))` writes, as one token (see hclExpression).
    return hclExpression((hcl) =>
      `one([ for key, val in toset(tolist(${hclAddress(resource)}.ebs_block_device)): val.snapshot_id if val.device_name == ${hcl(deviceName)}])`);
  }
}
