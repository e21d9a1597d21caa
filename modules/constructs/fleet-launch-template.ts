import { Construct } from 'constructs';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { VolumeType } from '../fleet/fleet-spec';
import { userDataBase64 } from '../rendering/user-data-encoding';

export interface FleetLaunchTemplateProps {
  /** Region the template lives in. */
  readonly region: string;
  /** Image the template launches: the copy in the same region. */
  readonly imageId: string;
  /** Root device name of that image, e.g. `/dev/xvda`. */
  readonly rootDeviceName: string;
  /** Launch template name, unique per region. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  readonly instanceType: string;
  /** @default - no key pair */
  readonly keyName?: string;
  /** Instance profile name or ARN. @default - none */
  readonly iamInstanceProfile?: string;
  /** @default - none (the subnet's default security group) */
  readonly securityGroupIds?: string[];
  /** User data, already base64-encoded. @default - none */
  readonly userDataBase64?: string;
  /**
   * User data as text, encoded here; it may hold Terraform references such as the image copy's
   * id (they are filled in by Terraform's base64encode()). Not with `userDataBase64`.
   * @default - none
   */
  readonly userData?: string;
  /** IMDS tokens. @default 'required' (IMDSv2 only) */
  readonly httpTokens?: 'required' | 'optional';
  /** IMDS response hop limit. @default 1 */
  readonly hopLimit?: number;
  /** Root volume size. @default - the image's */
  readonly rootVolumeSizeGiB?: number;
  /** Root volume type. @default - the image's */
  readonly rootVolumeType?: VolumeType;
  /** KMS key of the root volume. @default - the image snapshot's key */
  readonly rootVolumeKmsKeyId?: string;
  /** Tags on the template, and on the instances and volumes it launches. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A launch template in one region that starts instances from that region's image copy,
 * with IMDSv2 required and an encrypted root volume.
 *
 * @example
 * const template = new FleetLaunchTemplate(stack, 'template', {
 *   region: 'eu-west-1', imageId: copy.imageId, rootDeviceName: copy.rootDeviceName,
 *   name: 'web', instanceType: 't3.micro',
 * });
 * template.launchTemplateId;
 */
export class FleetLaunchTemplate extends Construct {
  public readonly launchTemplateId: string;
  public readonly latestVersionNumber: number;
  public readonly region: string;
  public readonly resource: LaunchTemplate;

  constructor(scope: Construct, id: string, props: FleetLaunchTemplateProps) {
    super(scope, id);
    const hopLimit = props.hopLimit ?? 1;
    if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) {
      throw new Error(`FleetLaunchTemplate ${this.node.path}: hopLimit must be 1..64, got ${hopLimit}`);
    }
    if (props.userData !== undefined && props.userDataBase64 !== undefined) {
      throw new Error(`FleetLaunchTemplate ${this.node.path}: give userData or userDataBase64, not both`);
    }
    const tags = props.tags ? { ...props.tags } : undefined;
    const profile = props.iamInstanceProfile;
    this.region = props.region;
    this.resource = new LaunchTemplate(this, 'template', {
      region: props.region,
      name: props.name,
      description: props.description,
      imageId: props.imageId,
      instanceType: props.instanceType,
      keyName: props.keyName,
      iamInstanceProfile: profile === undefined ? undefined
        : profile.startsWith('arn:') ? { arn: profile } : { name: profile },
      vpcSecurityGroupIds: props.securityGroupIds && props.securityGroupIds.length > 0
        ? [...props.securityGroupIds] : undefined,
      userData: props.userData !== undefined ? userDataBase64(props.userData) : props.userDataBase64,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: props.httpTokens ?? 'required',
        httpPutResponseHopLimit: hopLimit,
      },
      blockDeviceMappings: [{
        deviceName: props.rootDeviceName,
        ebs: {
          encrypted: 'true',
          deleteOnTermination: 'true',
          volumeSize: props.rootVolumeSizeGiB,
          volumeType: props.rootVolumeType,
          kmsKeyId: props.rootVolumeKmsKeyId,
        },
      }],
      tags,
      tagSpecifications: tags && Object.keys(tags).length > 0
        ? ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { ...tags } }))
        : undefined,
      // A new image makes a new version; launches (and ASGs on $Default) must pick it up.
      updateDefaultVersion: true,
    });
    this.launchTemplateId = this.resource.id;
    this.latestVersionNumber = this.resource.latestVersion;
  }
}
