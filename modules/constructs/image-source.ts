import { Construct } from 'constructs';
import { Token, type TerraformProvider } from 'cdktf';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import type { Architecture } from '../fleet/fleet-spec';
import { sourceImageUsable } from '../guards/source-image-usable';

export interface ImageLookupProps {
  /** Account ids, or `amazon`, `self`, `aws-marketplace`. */
  readonly owners: string[];
  /** Image name filter; `*` and `?` are wildcards. @default - any name */
  readonly name?: string;
  /** @default - any architecture */
  readonly architecture?: Architecture;
  /** Extra `aws_ami` filters, filter name -> values. @default - none */
  readonly filters?: Readonly<Record<string, string[]>>;
  /** @default false */
  readonly includeDeprecated?: boolean;
}

export interface ImageSourceProps {
  /** Region where the golden image lives; every read happens there. */
  readonly region: string;
  /** A pinned image id. Exactly one of `ami`, `lookup`, `ssmParameter`. */
  readonly ami?: string;
  /** The most recent image matching a lookup. */
  readonly lookup?: ImageLookupProps;
  /** An SSM parameter holding the image id (e.g. an AWS public parameter). */
  readonly ssmParameter?: string;
  /**
   * Device names of the image's EBS snapshots, for an image known only after apply (an `ami`
   * from an image pipeline): they key the copies' snapshot tags and permissions, which Terraform
   * must know at plan. A guard on each copy checks them against the image once it is read.
   * @default - the image's own, read at plan
   */
  readonly snapshotDeviceNames?: string[];
  /**
   * Older pinned images, newest first, that stay copied in every region beside `ami` (so old
   * launch template versions still launch and a rollback needs no new copy). Only with `ami`.
   * @default - none
   */
  readonly previous?: readonly string[];
  /**
   * The provider every read uses, e.g. the credentials' own account's in an account's stack, so
   * a lookup of `self` or a private SSM parameter resolves where the image's owner sees it.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Add the source image guard (`sourceImageUsable`): postconditions on `image` that stop a plan
   * when the image is not available or (a lookup of your own images) deprecated. @default true
   */
  readonly guards?: boolean;
  /** The fleet's name, for the guard's messages. @default - messages name no fleet */
  readonly fleet?: string;
}

/** An older source image that stays copied: `ImageSourceProps.previous`. */
export interface PreviousImage {
  readonly imageId: string;
  /** The `aws_ami` data source describing it, in the source region. */
  readonly image: DataAwsAmi;
  /** Device names of its EBS snapshots, read at plan (see `ImageSource.snapshotDeviceNames`). */
  readonly snapshotDeviceNames: string[];
}

/**
 * Where a fleet's golden image comes from: a pinned id, an `aws_ami` lookup or an SSM
 * parameter, always read in the source region. A plan stops before any copy when the image is
 * not usable (see `guards`).
 *
 * @example
 * const source = new ImageSource(stack, 'source', {
 *   region: 'us-east-1',
 *   lookup: { owners: ['amazon'], name: 'al2023-ami-2023.*-x86_64' },
 * });
 * source.imageId; // the id to copy
 */
export class ImageSource extends Construct {
  /** The source image id: a literal for a pinned image, a Terraform reference otherwise. */
  public readonly imageId: string;
  /** The source region. */
  public readonly region: string;
  /** The `aws_ami` data source of a lookup, when the source is one. */
  public readonly lookup?: DataAwsAmi;
  /** The `aws_ami` data source describing the source image, whatever the kind of source. */
  public readonly image: DataAwsAmi;
  /**
   * Device names of the source image's EBS snapshots (e.g. `/dev/xvda`): every copy has a
   * snapshot on each. Known at plan (read from the image, or given), so they can key
   * `for_each`, which the copies' snapshot ids cannot. For use in this stack (see hclExpression).
   */
  public readonly snapshotDeviceNames: string[];
  /**
   * When `snapshotDeviceNames` were given: the image's own, read when the image is (at apply
   * for an id known only then), for the guard that compares the two.
   */
  public readonly imageSnapshotDeviceNames?: string[];
  /** The older images of `previous`, newest first, each read once here for every region's copy. */
  public readonly previous: readonly PreviousImage[];

  constructor(scope: Construct, id: string, props: ImageSourceProps) {
    super(scope, id);
    const given = [props.ami, props.lookup, props.ssmParameter].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw new Error(`ImageSource ${this.node.path}: give exactly one of ami, lookup or ssmParameter (got ${given})`);
    }
    this.region = props.region;
    if (props.ami !== undefined) {
      this.imageId = props.ami;
      this.image = describeImage(this, 'image', props.region, props.ami, props.provider);
    } else if (props.lookup !== undefined) {
      this.lookup = new DataAwsAmi(this, 'image', {
        region: props.region,
        provider: props.provider,
        owners: [...props.lookup.owners],
        mostRecent: true,
        includeDeprecated: props.lookup.includeDeprecated ?? false,
        filter: lookupFilters(props.lookup),
      });
      this.imageId = this.lookup.id;
      this.image = this.lookup;
    } else {
      const parameter = new DataAwsSsmParameter(this, 'parameter', {
        region: props.region,
        provider: props.provider,
        name: props.ssmParameter as string,
      });
      // An image id is not a secret: insecure_value keeps it readable in plans and names.
      this.imageId = parameter.insecureValue;
      this.image = describeImage(this, 'image', props.region, this.imageId, props.provider);
    }
    const own = snapshotDeviceNamesOf(this.image);
    this.snapshotDeviceNames = props.snapshotDeviceNames ?? own;
    if (props.snapshotDeviceNames !== undefined) this.imageSnapshotDeviceNames = own;
    const previous = [...new Set(props.previous ?? [])];
    if (previous.length > 0 && props.ami === undefined) {
      throw new Error(`ImageSource ${this.node.path}: previous images need a pinned ami (a lookup or SSM parameter has no "previous" to keep)`);
    }
    this.previous = previous.map((imageId) => {
      const image = describeImage(this, `previous-${imageId}`, props.region, imageId, props.provider);
      return { imageId, image, snapshotDeviceNames: snapshotDeviceNamesOf(image) };
    });
    // A pinned or published id was chosen on purpose, deprecated or not; only a lookup must find a current image.
    if (props.guards ?? true) sourceImageUsable(this.image, props.fleet, props.lookup);
  }
}

/**
 * The device names of an `aws_ami`'s EBS snapshots, as a list token for use in its stack (see
 * hclExpression); `index` picks the instance of a data source that has `count`.
 */
export function snapshotDeviceNamesOf(image: DataAwsAmi, index?: number): string[] {
  // What `TerraformIterator.fromList(blockDeviceMappings).forExpressionForList(...)` writes, as one token (see hclExpression).
  return Token.asList(hclExpression(() =>
    `[ for key, val in toset(tolist(${hclAddress(image)}${index === undefined ? '' : `[${index}]`}.block_device_mappings)): val.device_name if try(val.ebs.snapshot_id, "") != ""]`));
}

/** An `aws_ami` data source for one known image id; deprecated images too, since the id was chosen. */
export function describeImage(scope: Construct, id: string, region: string, imageId: string, provider?: TerraformProvider): DataAwsAmi {
  return new DataAwsAmi(scope, id, {
    region,
    provider,
    includeDeprecated: true,
    filter: [{ name: 'image-id', values: [imageId] }],
  });
}

function lookupFilters(lookup: ImageLookupProps): { name: string; values: string[] }[] {
  const filters: Record<string, string[]> = { state: ['available'] };
  if (lookup.name !== undefined) filters.name = [lookup.name];
  if (lookup.architecture !== undefined) filters.architecture = [lookup.architecture];
  Object.assign(filters, lookup.filters ?? {});
  return Object.keys(filters).sort().map((name) => ({ name, values: [...filters[name]] }));
}
