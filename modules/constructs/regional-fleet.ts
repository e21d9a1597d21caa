import { Construct } from 'constructs';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { Token, type TerraformResource } from 'cdktf';
import type { Fleet } from '../fleet/fleet-spec';
import { fleetTags } from '../fleet/fleet-tags';
import { autoScalingGroupName, imageCopyName, launchTemplateName, type ImageCopyInputs } from '../fleet/fleet-names';
import type { ImageSource } from './image-source';
import { RegionalImageCopy } from './regional-image-copy';
import { FleetLaunchTemplate } from './fleet-launch-template';
import { FleetAutoScalingGroup } from './fleet-auto-scaling-group';
import { regionalGuards } from '../guards';
import { SnapshotTags } from './snapshot-tags';
import { ImageSharing } from './image-sharing';
import { ImageParameter } from './image-parameter';
import { renderUserData, userDataValues, type UserDataAccount, type UserDataTemplate } from '../rendering/user-data';
import { requireTerraform } from '../rendering/terraform-version';
import { terraformLiteral, terraformLiteralFleet } from '../rendering/terraform-literal';
import { hclExpression } from '../rendering/hcl-expression';
import { fleetRollout } from '../fleet/rollout';
import { logicalIdAt } from '../rendering/stack-json';

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
  /** The entry of `accounts` the region is in, which its user data sees. @default - the credentials' own account */
  readonly account?: UserDataAccount;
  /** Add the plan-time guards (instance type offered and fitting the image, KMS key enabled, adopted template's name). @default true */
  readonly guards?: boolean;
}

/**
 * Everything a fleet has in one region: a copy of each kept source image (`source.ami` and
 * `source.previous`), each with its snapshot tags and sharing, and the launch template that starts
 * instances from the copy of the image its wave launches (`fleetRollout`), with its SSM parameter.
 *
 * @example
 * const source = new ImageSource(stack, 'source', fleet.source);
 * const eu = new RegionalFleet(stack, 'eu-west-1', { fleet, region: 'eu-west-1', source });
 * eu.copy.imageId; eu.launchTemplate.launchTemplateId;
 */
export class RegionalFleet extends Construct {
  public readonly region: string;
  /** The image the region's launch template starts: the copy of its wave's source image, or the image it adopted. */
  public readonly imageId: string;
  /** The source image the launch template starts a copy of (`fleetRollout`); absent when the region adopts an image. */
  public readonly sourceImageId?: string;
  /** The region's wave in the fleet's rollout, from 1. */
  public readonly wave: number;
  /** The copy the launch template starts; absent when the region adopts an existing image. */
  public readonly copy?: RegionalImageCopy;
  /** Every kept image's copy (`source.ami` and `source.previous`, newest first) with its snapshot tags and sharing. */
  public readonly copies: readonly KeptImageCopy[];
  public readonly launchTemplate: FleetLaunchTemplate;
  /** The region's Auto Scaling group on the launch template's latest version, when the fleet has autoScaling. */
  public readonly autoScalingGroup?: FleetAutoScalingGroup;
  /** Tags on the launched copy's snapshots; absent when the region adopts an existing image. */
  public readonly snapshotTags?: SnapshotTags;
  /** Launch and snapshot permissions of the launched copy, when the fleet shares its copies. */
  public readonly sharing?: ImageSharing;
  /** The SSM parameter holding the region's image id, when the fleet publishes one. */
  public readonly parameter?: ImageParameter;

  constructor(scope: Construct, id: string, props: RegionalFleetProps) {
    super(scope, id);
    const { source } = props;
    if (props.fleet.regions[props.region] === undefined) {
      throw new Error(`RegionalFleet ${this.node.path}: ${props.region} is not a region of fleet ${props.fleet.fleet}`);
    }
    const rollout = fleetRollout(props.fleet);
    const place = rollout.regions[props.region];
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
    this.wave = place.wave;
    let rootDeviceName: string;
    if (settings.adopt?.image !== undefined) {
      // aws_ami_copy cannot import an existing image, so an adopted image is used, not managed.
      const adopted = new DataAwsAmi(this, 'adopted-image', {
        region, includeDeprecated: true, filter: [{ name: 'image-id', values: [settings.adopt.image] }],
      });
      this.imageId = adopted.id;
      rootDeviceName = adopted.rootDeviceName;
      this.copies = [];
    } else {
      const inputs: ImageCopyInputs = {
        sourceRegion: props.fleet.source.region, encrypted: props.fleet.copy.encrypted, kmsKeyId: props.fleet.regions[props.region].kmsKeyId,
      };
      const kept = keptSourceImages(this, source, rollout.keptImages);
      this.copies = kept.map((image) => {
        const suffix = image.fileId === undefined ? '' : `-${image.fileId}`;
        const copy = new RegionalImageCopy(this, `copy${suffix}`, {
          region,
          sourceImageId: image.imageId,
          sourceRegion: source.region,
          name: imageCopyName(namePrefix, image.imageId, inputs),
          description: `amifleet ${fleet.fleet}: ${image.imageId} from ${source.region}`,
          encrypted: fleet.copy.encrypted,
          kmsKeyId: settings.kmsKeyId,
          tags,
          deprecateAfterDays: fleet.copy.deprecateAfterDays,
          timeoutMinutes: fleet.copy.timeoutMinutes,
        });
        const snapshotDeviceNames = image.snapshotDeviceNames;
        const snapshotTags = new SnapshotTags(this, `snapshot-tags${suffix}`, { copy, snapshotDeviceNames, tags });
        const sharing = fleet.copy.shareWith !== undefined
          ? new ImageSharing(this, `sharing${suffix}`, { copy, snapshotDeviceNames, ...fleet.copy.shareWith }) : undefined;
        return { sourceImageId: image.imageId, fileImageId: image.fileId, copy, snapshotTags, sharing };
      });
      // amifleet 0.1 kept one copy, of what was then source.ami, at the unkeyed addresses: it is the oldest kept image now.
      const oldest = this.copies.at(-1)!;
      if (oldest.fileImageId !== undefined) moveFromUnkeyedAddresses(this, oldest);
      const launched = this.copies.find((c) => c.fileImageId === place.sourceImage) ?? this.copies[0];
      this.copy = launched.copy;
      this.snapshotTags = launched.snapshotTags;
      this.sharing = launched.sharing;
      this.sourceImageId = launched.sourceImageId;
      this.imageId = launched.copy.imageId;
      rootDeviceName = launched.copy.rootDeviceName;
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
      // The copy guards sit on the newest copy: the one a release creates (and a key change replaces first).
      const newest = this.copies[0]?.copy;
      const resources = { copy: newest?.resource, launchTemplate: this.launchTemplate.resource };
      const guards = regionalGuards({
        scope: this, fleet: fleet.fleet, account: props.account?.name, region, instanceType, kmsKeyId: newest ? settings.kmsKeyId : undefined,
        sourceArchitecture: source.image.architecture,
        adoptedLaunchTemplate: settings.adopt?.launchTemplate ? { id: settings.adopt.launchTemplate, name: namePrefix } : undefined,
        snapshotDevices: newest && source.imageSnapshotDeviceNames
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
    const values = userDataValues(fleet, region, this.imageId, props.account);
    return renderUserData(userDataTemplate, props.instanceType === undefined ? values : { ...values, instanceType: props.instanceType });
  }
}

/** One kept source image's copy in a region, with what hangs on it. */
export interface KeptImageCopy {
  /** The image copied: a literal id, or a Terraform expression (a lookup, a module input). */
  readonly sourceImageId: string;
  /** Its id in the fleet file (`source.ami` or `source.previous`); undefined for a lookup or SSM parameter source. */
  readonly fileImageId?: string;
  readonly copy: RegionalImageCopy;
  readonly snapshotTags: SnapshotTags;
  readonly sharing?: ImageSharing;
}

interface KeptSourceImage {
  readonly fileId?: string;
  readonly imageId: string;
  readonly snapshotDeviceNames: string[];
}

/**
 * The images a region copies: for a pinned source each kept image (the first is the source's own
 * id, which a module may make an input); for a lookup or SSM parameter, the one it resolves to.
 */
function keptSourceImages(scope: Construct, source: ImageSource, keptImages: readonly string[]): KeptSourceImage[] {
  if (keptImages.length === 0) return [{ imageId: source.imageId, snapshotDeviceNames: source.snapshotDeviceNames }];
  return keptImages.map((fileId, index) => {
    if (index === 0) return { fileId, imageId: source.imageId, snapshotDeviceNames: source.snapshotDeviceNames };
    const previous = source.previous.find((p) => p.imageId === terraformLiteral(fileId));
    if (!previous) {
      throw new Error(`RegionalFleet ${scope.node.path}: the fleet keeps ${fileId}, which its ImageSource does not read; give the ImageSource previous: source.previous`);
    }
    return { fileId, imageId: previous.imageId, snapshotDeviceNames: previous.snapshotDeviceNames };
  });
}

/**
 * moved blocks from the addresses amifleet 0.1 gave a region's one copy and what hangs on it
 * (`<region>/copy/image`, ...), so a state applied by it keeps its copy: no replacement. A fresh
 * state has nothing there, and Terraform skips the move.
 */
function moveFromUnkeyedAddresses(regional: Construct, kept: KeptImageCopy): void {
  const moves: [TerraformResource | undefined, string[]][] = [
    [kept.copy.resource, ['copy', 'image']],
    [kept.snapshotTags.resource, ['snapshot-tags', 'tag']],
    ...Object.entries(kept.sharing?.launchPermissions ?? {}).map(([kind, r]) => [r, ['sharing', kind]] as [TerraformResource, string[]]),
    [kept.sharing?.snapshotPermissions, ['sharing', 'snapshot-accounts']],
  ];
  for (const [resource, path] of moves) {
    if (!resource) continue;
    resource.moveFromId(`${resource.terraformResourceType}.${logicalIdAt(regional, path)}`);
    requireTerraform(regional, 'moved blocks');
  }
}
