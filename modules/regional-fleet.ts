import { Construct } from 'constructs';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { Token } from 'cdktf';
import type { Fleet } from './fleet-spec';
import { fleetTags } from './fleet-tags';
import { autoScalingGroupName, imageCopyName, launchTemplateName } from './fleet-names';
import type { ImageSource } from './image-source';
import { RegionalImageCopy } from './regional-image-copy';
import { FleetLaunchTemplate } from './fleet-launch-template';
import { FleetAutoScalingGroup } from './fleet-auto-scaling-group';
import { regionalGuards } from './guards';
import { SnapshotTags } from './snapshot-tags';
import { ImageSharing } from './image-sharing';
import { ImageParameter } from './image-parameter';
import { renderUserData, userDataValues, type UserDataTemplate } from './user-data';
import { requireTerraform } from './terraform-version';
import { terraformLiteral, terraformLiteralFleet } from './terraform-literal';
import { hclExpression } from './hcl-expression';

export interface RegionalFleetProps {
  /** The validated fleet. Its text reaches Terraform literally (`terraformLiteralFleet`). */
  readonly fleet: Fleet;
  /** One of the fleet's regions. */
  readonly region: string;
  /** The fleet's source image, read in the source region. */
  readonly source: ImageSource;
  /**
   * The text of the fleet's user data template (`launchTemplate.userData.template`), rendered
   * here for this region with the copy's id as `amiId`. Required when the fleet has user data.
   * @default - no user data
   */
  readonly userDataTemplate?: UserDataTemplate;
  /** Start of the copy's and launch template's names. @default - the fleet name */
  readonly namePrefix?: string;
  /** Instance type here, e.g. a Terraform variable. @default - the region's, else the fleet's */
  readonly instanceType?: string;
  /** More tags, under amifleet's own; may be a Terraform map. @default - none */
  readonly extraTags?: Readonly<Record<string, string>>;
  /** Add the plan-time guards (instance type offered and fitting the image, KMS key enabled, adopted template's name). @default true */
  readonly guards?: boolean;
}

/**
 * Everything a fleet has in one region: the image copy and the launch template that starts
 * instances from it; the copy's snapshot tags, its sharing and its SSM parameter as the fleet says.
 *
 * @example
 * const source = new ImageSource(stack, 'source', fleet.source);
 * const eu = new RegionalFleet(stack, 'eu-west-1', { fleet, region: 'eu-west-1', source });
 * eu.copy.imageId; eu.launchTemplate.launchTemplateId;
 */
export class RegionalFleet extends Construct {
  public readonly region: string;
  /** The image the region's launch template starts: its copy, or the image it adopted. */
  public readonly imageId: string;
  /** The copy of the source image; absent when the region adopts an existing image. */
  public readonly copy?: RegionalImageCopy;
  public readonly launchTemplate: FleetLaunchTemplate;
  /** The region's Auto Scaling group on the launch template's latest version, when the fleet has autoScaling. */
  public readonly autoScalingGroup?: FleetAutoScalingGroup;
  /** Tags on the copy's snapshots; absent when the region adopts an existing image. */
  public readonly snapshotTags?: SnapshotTags;
  /** Launch and snapshot permissions, when the fleet shares its copies. */
  public readonly sharing?: ImageSharing;
  /** The SSM parameter holding the region's image id, when the fleet publishes one. */
  public readonly parameter?: ImageParameter;

  constructor(scope: Construct, id: string, props: RegionalFleetProps) {
    super(scope, id);
    const { source } = props;
    if (props.fleet.regions[props.region] === undefined) {
      throw new Error(`RegionalFleet ${this.node.path}: ${props.region} is not a region of fleet ${props.fleet.fleet}`);
    }
    // Everything below reads the fleet as Terraform literal text, except user data (rendered from the fleet as written).
    const fleet = terraformLiteralFleet(props.fleet);
    const region = terraformLiteral(props.region);
    const settings = fleet.regions[region];
    const own = fleetTags(fleet, region);
    // Not Fn.merge: cdktf writes map keys into it unquoted and escapes ${ but not %{ in values.
    const tags = props.extraTags ? Token.asStringMap(hclExpression((hcl) => `merge(${hcl(props.extraTags)}, ${hcl(own)})`)) : own;
    const namePrefix = props.namePrefix ?? fleet.fleet;
    const lt = fleet.launchTemplate;
    const instanceType = props.instanceType ?? settings.instanceType ?? lt.instanceType;
    this.region = props.region;
    let rootDeviceName: string;
    if (settings.adopt?.image !== undefined) {
      // aws_ami_copy cannot import an existing image, so an adopted image is used, not managed.
      const adopted = new DataAwsAmi(this, 'adopted-image', {
        region, includeDeprecated: true, filter: [{ name: 'image-id', values: [settings.adopt.image] }],
      });
      this.imageId = adopted.id;
      rootDeviceName = adopted.rootDeviceName;
    } else {
      this.copy = new RegionalImageCopy(this, 'copy', {
        region,
        sourceImageId: source.imageId,
        sourceRegion: source.region,
        name: imageCopyName(namePrefix, source.imageId),
        description: `amifleet ${fleet.fleet}: ${source.imageId} from ${source.region}`,
        encrypted: fleet.copy.encrypted,
        kmsKeyId: settings.kmsKeyId,
        tags,
        deprecateAfterDays: fleet.copy.deprecateAfterDays,
        timeoutMinutes: fleet.copy.timeoutMinutes,
      });
      this.imageId = this.copy.imageId;
      rootDeviceName = this.copy.rootDeviceName;
      const snapshotDeviceNames = source.snapshotDeviceNames;
      this.snapshotTags = new SnapshotTags(this, 'snapshot-tags', { copy: this.copy, snapshotDeviceNames, tags });
      if (fleet.copy.shareWith !== undefined) {
        this.sharing = new ImageSharing(this, 'sharing', { copy: this.copy, snapshotDeviceNames, ...fleet.copy.shareWith });
      }
    }
    this.launchTemplate = new FleetLaunchTemplate(this, 'launch-template', {
      region,
      imageId: this.imageId,
      rootDeviceName,
      name: launchTemplateName(namePrefix),
      description: fleet.description,
      instanceType,
      keyName: lt.keyName,
      iamInstanceProfile: lt.iamInstanceProfile,
      securityGroupIds: settings.securityGroupIds ?? lt.securityGroupIds,
      userData: this.userData(props),
      httpTokens: lt.metadata.httpTokens,
      hopLimit: lt.metadata.hopLimit,
      rootVolumeSizeGiB: lt.rootVolume?.sizeGiB,
      rootVolumeType: lt.rootVolume?.type,
      rootVolumeKmsKeyId: settings.kmsKeyId,
      tags,
    });
    if (settings.adopt?.launchTemplate !== undefined) {
      // AWS provider 6 imports from another region than the provider's with id@region.
      this.launchTemplate.resource.importFrom(`${settings.adopt.launchTemplate}@${region}`);
      requireTerraform(this, 'import blocks');
    }
    if (fleet.autoScaling !== undefined) {
      const { instanceRefresh: refresh, ...group } = fleet.autoScaling;
      this.autoScalingGroup = new FleetAutoScalingGroup(this, 'auto-scaling-group', {
        region, name: autoScalingGroupName(namePrefix), tags,
        launchTemplateId: this.launchTemplate.launchTemplateId, launchTemplateVersion: this.launchTemplate.latestVersionNumber,
        subnetIds: settings.subnetIds ?? [], targetGroupArns: settings.targetGroupArns,
        minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity,
        healthCheckType: group.healthCheckType, healthCheckGracePeriodSeconds: group.healthCheckGracePeriodSeconds,
        minHealthyPercentage: refresh.minHealthyPercentage, instanceWarmupSeconds: refresh.instanceWarmupSeconds,
        checkpoints: refresh.checkpoints, checkpointDelaySeconds: refresh.checkpointDelaySeconds,
        skipMatching: refresh.skipMatching, autoRollback: refresh.autoRollback, alarms: refresh.alarms,
      });
    }
    if (fleet.publish?.ssmParameter !== undefined) {
      this.parameter = new ImageParameter(this, 'parameter', {
        region, name: fleet.publish.ssmParameter, imageId: this.imageId, tags,
        description: `amifleet ${fleet.fleet}: image in ${region}`,
      });
    }
    if (props.guards ?? true) {
      const resources = { copy: this.copy?.resource, launchTemplate: this.launchTemplate.resource };
      const guards = regionalGuards({
        scope: this, fleet: fleet.fleet, region, instanceType, kmsKeyId: this.copy ? settings.kmsKeyId : undefined,
        sourceArchitecture: source.image.architecture,
        adoptedLaunchTemplate: settings.adopt?.launchTemplate ? { id: settings.adopt.launchTemplate, name: namePrefix } : undefined,
        snapshotDevices: this.copy && source.imageSnapshotDeviceNames
          ? { keys: source.snapshotDeviceNames, image: source.imageSnapshotDeviceNames } : undefined,
      });
      for (const guard of guards) {
        const resource = resources[guard.on];
        if (!resource) continue;
        resource.lifecycle = { ...resource.lifecycle, precondition: [...(resource.lifecycle?.precondition ?? []), guard.condition] };
        requireTerraform(this, 'preconditions and postconditions');
      }
    }
  }

  private userData(props: RegionalFleetProps): string | undefined {
    const { fleet, region, userDataTemplate } = props;
    if (userDataTemplate === undefined) {
      const named = fleet.launchTemplate.userData?.template;
      if (named === undefined) return undefined;
      throw new Error(`RegionalFleet ${this.node.path}: fleet ${fleet.fleet} has user data ${named}; `
        + 'pass its text as userDataTemplate (constructs never read files)');
    }
    // The fleet as written: userDataBase64 escapes the rendered text for Terraform, once.
    const values = userDataValues(fleet, region, this.imageId);
    return renderUserData(userDataTemplate, props.instanceType === undefined ? values : { ...values, instanceType: props.instanceType });
  }
}
