import { Construct } from 'constructs';
import type { Fleet } from './fleet-spec';
import { fleetTags } from './fleet-tags';
import type { ImageSource } from './image-source';
import { RegionalImageCopy } from './regional-image-copy';
import { FleetLaunchTemplate } from './fleet-launch-template';
import { renderUserData, userDataValues, type UserDataTemplate } from './user-data';

export interface RegionalFleetProps {
  /** The validated fleet. */
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
      // The source id in the name: a new image never collides with the copy it replaces.
      name: `${fleet.fleet}-${source.imageId}`,
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
      name: fleet.fleet,
      description: fleet.description,
      instanceType: settings.instanceType ?? lt.instanceType,
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
  }

  private userData(props: RegionalFleetProps): string | undefined {
    const { fleet, region, userDataTemplate } = props;
    if (userDataTemplate === undefined) {
      const named = fleet.launchTemplate.userData?.template;
      if (named === undefined) return undefined;
      throw new Error(`RegionalFleet ${this.node.path}: fleet ${fleet.fleet} has user data ${named}; `
        + 'pass its text as userDataTemplate (constructs never read files)');
    }
    return renderUserData(userDataTemplate, userDataValues(fleet, region, this.copy.imageId));
  }
}
