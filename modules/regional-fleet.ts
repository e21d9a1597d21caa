import { Construct } from 'constructs';
import type { Fleet } from './fleet-spec';
import { fleetTags } from './fleet-tags';
import { imageCopyName, launchTemplateName } from './fleet-names';
import type { ImageSource } from './image-source';
import { RegionalImageCopy } from './regional-image-copy';
import { FleetLaunchTemplate } from './fleet-launch-template';

export interface RegionalFleetProps {
  /** The validated fleet. */
  readonly fleet: Fleet;
  /** One of the fleet's regions. */
  readonly region: string;
  /** The fleet's source image, read in the source region. */
  readonly source: ImageSource;
  /** Base64 user data for this region. @default - none */
  readonly userDataBase64?: string;
}

/**
 * Everything a fleet has in one region: the image copy and the launch template that starts
 * instances from it.
 */
export class RegionalFleet extends Construct {
  public readonly region: string;
  public readonly copy: RegionalImageCopy;
  public readonly launchTemplate: FleetLaunchTemplate;

  constructor(scope: Construct, id: string, props: RegionalFleetProps) {
    super(scope, id);
    const { fleet, region, source } = props;
    const settings = fleet.regions[region];
    if (settings === undefined) {
      throw new Error(`RegionalFleet ${this.node.path}: ${region} is not a region of fleet ${fleet.fleet}`);
    }
    const tags = fleetTags(fleet, region);
    const lt = fleet.launchTemplate;
    this.region = region;
    this.copy = new RegionalImageCopy(this, 'copy', {
      region,
      sourceImageId: source.imageId,
      sourceRegion: source.region,
      name: imageCopyName(fleet.fleet, source.imageId),
      description: `amifleet ${fleet.fleet}: ${source.imageId} from ${source.region}`,
      encrypted: fleet.copy.encrypted,
      kmsKeyId: settings.kmsKeyId,
      tags,
      deprecateAfterDays: fleet.copy.deprecateAfterDays,
      timeoutMinutes: fleet.copy.timeoutMinutes,
    });
    this.launchTemplate = new FleetLaunchTemplate(this, 'launch-template', {
      region,
      imageId: this.copy.imageId,
      rootDeviceName: this.copy.rootDeviceName,
      name: launchTemplateName(fleet.fleet),
      description: fleet.description,
      instanceType: settings.instanceType ?? lt.instanceType,
      keyName: lt.keyName,
      iamInstanceProfile: lt.iamInstanceProfile,
      securityGroupIds: settings.securityGroupIds ?? lt.securityGroupIds,
      userDataBase64: props.userDataBase64,
      httpTokens: lt.metadata.httpTokens,
      hopLimit: lt.metadata.hopLimit,
      rootVolumeSizeGiB: lt.rootVolume?.sizeGiB,
      rootVolumeType: lt.rootVolume?.type,
      rootVolumeKmsKeyId: settings.kmsKeyId,
      tags,
    });
  }
}
