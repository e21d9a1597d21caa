// The fleet's types, written out so editors and the API reference show each field's meaning.
// FleetSchema (modules/fleet/fleet-spec.ts) is the rule book; __tests__/fleet-types.test.ts fails to
// compile when these and z.input/z.output of FleetSchema differ by a field.

/** An image architecture, as `aws_ami` filters and EC2 write it. */
export type Architecture = 'x86_64' | 'arm64' | 'i386' | 'x86_64_mac' | 'arm64_mac';

/** An EBS volume type for the root volume. */
export type VolumeType = 'gp3' | 'gp2' | 'io1' | 'io2' | 'st1' | 'sc1' | 'standard';

/** How a fleet's regions map to stacks (and state files). */
export type Layout = 'per-region' | 'single';

/** How an Auto Scaling group decides an instance is unhealthy. */
export type HealthCheckType = 'EC2' | 'ELB';

/**
 * An `aws_ami` lookup in the source region: the most recent image that matches.
 */
export interface ImageLookupInput {
  /**
   * Who may own the image: 12-digit account ids, or `amazon`, `self`, `aws-marketplace`.
   * At least one.
   */
  owners: string[];
  /**
   * Image name filter; `*` and `?` wildcards allowed (up to 128 characters).
   * @default - any name
   */
  name?: string;
  /**
   * The image's architecture.
   * @default - any architecture
   */
  architecture?: Architecture;
  /**
   * Extra `aws_ami` filters: filter name -> accepted values (each list non-empty).
   * @default - no extra filters
   */
  filters?: Record<string, string[]>;
  /**
   * Whether deprecated images match too.
   * @default `false`
   */
  includeDeprecated?: boolean;
}

/** An `aws_ami` lookup, with its defaults applied. */
export interface ImageLookup extends ImageLookupInput {
  includeDeprecated: boolean;
}

/**
 * Where the golden image lives: exactly one of `ami`, `lookup` or `ssmParameter`.
 */
export interface FleetSourceInput {
  /** Region where the golden image lives, such as us-east-1. */
  region: string;
  /**
   * A pinned image id: `ami-` followed by 8 or 17 hex digits.
   * @default - no pinned id (give `lookup` or `ssmParameter`)
   */
  ami?: string;
  /**
   * An `aws_ami` lookup in the source region (most recent match).
   * @default - no lookup (give `ami` or `ssmParameter`)
   */
  lookup?: ImageLookupInput;
  /**
   * An SSM parameter holding the image id, such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64.
   * @default - no parameter (give `ami` or `lookup`)
   */
  ssmParameter?: string;
  /**
   * Older source images, newest first: their copies stay in every region, so old launch
   * template versions still launch and a rollback needs no new copy. Needs a pinned `ami`.
   * @default `[]`
   */
  previous?: string[];
}

/** Where the golden image lives, with its defaults applied. */
export interface FleetSource extends FleetSourceInput {
  lookup?: ImageLookup;
  previous: string[];
}

/** Resources made by hand that amifleet takes over in a region instead of creating new ones. */
export interface RegionAdoption {
  /**
   * An image that already exists in this region: launched as is, no copy is made here.
   * @default - amifleet copies the source image into the region
   */
  image?: string;
  /**
   * A launch template that already exists in this region (`lt-` and 17 hex digits):
   * imported (Terraform import block), then managed.
   * @default - amifleet creates the launch template
   */
  launchTemplate?: string;
}

/** One region of a fleet (or of an account): its own image copy and launch template. */
export interface RegionSettings {
  /**
   * ARN of the KMS key, or of its alias, in this region that encrypts this region's copy
   * (and the root volumes of its instances).
   * @default - the region's default EBS key (aws/ebs unless the account set another)
   */
  kmsKeyId?: string;
  /**
   * Overrides `launchTemplate.instanceType` here.
   * @default - launchTemplate.instanceType
   */
  instanceType?: string;
  /**
   * Overrides `launchTemplate.securityGroupIds` here.
   * @default - launchTemplate.securityGroupIds
   */
  securityGroupIds?: string[];
  /**
   * Tags of this region's resources, on top of the fleet's tags: tag name -> value.
   * @default - the fleet's tags only
   */
  tags?: Record<string, string>;
  /**
   * Subnets of the region's Auto Scaling group (`autoScaling`).
   * @default - none (needed when the fleet has autoScaling)
   */
  subnetIds?: string[];
  /**
   * Load balancer target groups of this region that the Auto Scaling group registers its
   * instances with.
   * @default - none
   */
  targetGroupArns?: string[];
  /**
   * Resources made by hand that amifleet takes over instead of creating new ones.
   * @default - amifleet creates every resource
   */
  adopt?: RegionAdoption;
}

/** Another AWS account that gets the fleet: copies owned by the account, made through its role. */
export interface AccountSettingsInput {
  /** The account's 12-digit id, quoted: its stacks check at plan that the assumed role is in it. */
  id: string;
  /**
   * The role in the account that the provider of its stacks assumes (README: Accounts, for
   * its policy): arn:<partition>:iam::<account id>:role/<name>.
   */
  roleArn: string;
  /**
   * The account's regions, the same shape as the top-level regions: each gets a copy owned by
   * the account, encrypted with its key, and a launch template. At least one; `null` is `{}`.
   */
  regions: Record<string, RegionSettings | null | undefined>;
}

/** Another AWS account that gets the fleet, with its defaults applied. */
export interface AccountSettings extends AccountSettingsInput {
  regions: Record<string, RegionSettings>;
}

/** Launch permissions on every copy. */
export interface ShareWithInput {
  /**
   * 12-digit account ids that may launch the copies (quote them in YAML).
   * @default `[]`
   */
  accounts?: string[];
  /**
   * Organization ARNs whose accounts may launch the copies.
   * @default `[]`
   */
  organizationArns?: string[];
  /**
   * Organizational unit ARNs whose accounts may launch the copies.
   * @default `[]`
   */
  organizationalUnitArns?: string[];
  /**
   * `every-aws-account`: any AWS account may launch the copies. Needs `copy.encrypted: false`.
   * @default - not public
   */
  public?: 'every-aws-account';
}

/** Launch permissions on every copy, with their defaults applied. */
export interface ShareWith extends ShareWithInput {
  accounts: string[];
  organizationArns: string[];
  organizationalUnitArns: string[];
}

/** How the source image is copied into each region. */
export interface CopySettingsInput {
  /**
   * Whether the copies are encrypted (with the region's `kmsKeyId`, or the region's default EBS key).
   * @default `true`
   */
  encrypted?: boolean;
  /**
   * Days after the copy is made when it is deprecated (1 to 36500); set once at copy time,
   * never a diff on later plans.
   * @default - never deprecated
   */
  deprecateAfterDays?: number;
  /**
   * Create and delete timeout of each copy, in minutes (1 to 2880).
   * @default - the provider's (40 minutes)
   */
  timeoutMinutes?: number;
  /**
   * Launch permissions on every copy.
   * @default - shared with nobody
   */
  shareWith?: ShareWithInput;
}

/** How the source image is copied into each region, with the defaults applied. */
export interface CopySettings extends CopySettingsInput {
  encrypted: boolean;
  shareWith?: ShareWith;
}

/** Instance metadata service options of the launch template. */
export interface MetadataSettingsInput {
  /**
   * `required` is IMDSv2 only; `optional` also allows IMDSv1.
   * @default `'required'`
   */
  httpTokens?: 'required' | 'optional';
  /**
   * Hop limit of metadata responses (1 to 64); above 1, containers on the instance reach it too.
   * @default `1`
   */
  hopLimit?: number;
}

/** Instance metadata service options, with their defaults applied. */
export interface MetadataSettings extends MetadataSettingsInput {
  httpTokens: 'required' | 'optional';
  hopLimit: number;
}

/** The root volume of the launch template's instances; always encrypted. */
export interface RootVolumeSettings {
  /**
   * Size in GiB (1 to 65536).
   * @default - the image's root volume size
   */
  sizeGiB?: number;
  /**
   * EBS volume type.
   * @default - the image's root volume type
   */
  type?: VolumeType;
}

/** Instance user data rendered from a handlebars template. */
export interface UserDataSettingsInput {
  /** A file under templates/user-data/, such as web.sh.hbs. */
  template: string;
  /**
   * Variables the template sees, besides fleet, region, amiId and tags.
   * @default `{}`
   */
  vars?: Record<string, unknown>;
}

/** Instance user data, with its defaults applied. */
export interface UserDataSettings extends UserDataSettingsInput {
  vars: Record<string, unknown>;
}

/** The launch template made in each region. */
export interface LaunchTemplateSettingsInput {
  /** EC2 instance type, such as t3.micro; `regions.<region>.instanceType` overrides it. */
  instanceType: string;
  /**
   * Name of the EC2 key pair of the instances.
   * @default - no key pair
   */
  keyName?: string;
  /**
   * An instance profile name or ARN.
   * @default - no instance profile
   */
  iamInstanceProfile?: string;
  /**
   * Security groups of the instances; `regions.<region>.securityGroupIds` overrides them.
   * @default `[]`
   */
  securityGroupIds?: string[];
  /**
   * Instance user data rendered from a template.
   * @default - no user data
   */
  userData?: UserDataSettingsInput;
  /**
   * Instance metadata service options.
   * @default - `{ httpTokens: 'required', hopLimit: 1 }` (IMDSv2)
   */
  metadata?: MetadataSettingsInput;
  /**
   * The root volume; always encrypted.
   * @default - the image's root volume, encrypted
   */
  rootVolume?: RootVolumeSettings;
}

/** The launch template made in each region, with its defaults applied. */
export interface LaunchTemplateSettings extends LaunchTemplateSettingsInput {
  securityGroupIds: string[];
  userData?: UserDataSettings;
  metadata: MetadataSettings;
}

/** Where each region's image id is published. */
export interface PublishSettings {
  /**
   * An SSM parameter made in every region (type String, data type aws:ec2:image) holding that
   * region's image id.
   * @default - not published
   */
  ssmParameter?: string;
}

/** The order in which a new source image reaches the regions. */
export interface RolloutSettings {
  /**
   * The order in which a new source image reaches the regions, a list of waves of region
   * names; `"*"` in the last wave is every region not named before.
   * @default - one wave of every region
   */
  waves?: string[][];
  /**
   * Waves 1..promoted launch `source.ami`, later waves `source.previous[0]`; 0 is rolled back
   * everywhere.
   * @default - every wave
   */
  promoted?: number;
}

/** How a new launch template version rolls the Auto Scaling group. */
export interface InstanceRefreshSettingsInput {
  /**
   * Percentage of the group that stays in service during a refresh (0 to 100).
   * @default `90`
   */
  minHealthyPercentage?: number;
  /**
   * Seconds until a new instance counts as in service.
   * @default - the group's health check grace period
   */
  instanceWarmupSeconds?: number;
  /**
   * Percentages of replaced instances at which the refresh pauses, ascending.
   * @default - no checkpoints
   */
  checkpoints?: number[];
  /**
   * Seconds the refresh waits at each checkpoint (up to 172800); needs `checkpoints`.
   * @default - AWS's (1 hour)
   */
  checkpointDelaySeconds?: number;
  /**
   * Whether instances already on the new launch template version are left alone.
   * @default `true`
   */
  skipMatching?: boolean;
  /**
   * Whether a failed refresh rolls back to the previous launch template version.
   * @default `true`
   */
  autoRollback?: boolean;
  /**
   * CloudWatch alarm names (the same in every region, at most 10) that stop and roll back a
   * refresh.
   * @default - no alarms
   */
  alarms?: string[];
}

/** How a new launch template version rolls the group, with the defaults applied. */
export interface InstanceRefreshSettings extends InstanceRefreshSettingsInput {
  minHealthyPercentage: number;
  skipMatching: boolean;
  autoRollback: boolean;
}

/**
 * One Auto Scaling group per region on that region's launch template; needs
 * `regions.<region>.subnetIds`.
 */
export interface AutoScalingSettingsInput {
  /** Minimum number of instances of each region's group. */
  minSize: number;
  /** Maximum number of instances of each region's group. */
  maxSize: number;
  /**
   * Set when the group is created, then left to scaling.
   * @default - minSize
   */
  desiredCapacity?: number;
  /**
   * How the group decides an instance is unhealthy.
   * @default `'EC2'`
   */
  healthCheckType?: HealthCheckType;
  /**
   * Seconds after launch before health checks count (up to 7200).
   * @default `300`
   */
  healthCheckGracePeriodSeconds?: number;
  /**
   * How a new launch template version rolls the group.
   * @default `{ minHealthyPercentage: 90, skipMatching: true, autoRollback: true }`
   */
  instanceRefresh?: InstanceRefreshSettingsInput;
}

/** One Auto Scaling group per region, with the defaults applied. */
export interface AutoScalingSettings extends AutoScalingSettingsInput {
  healthCheckType: HealthCheckType;
  healthCheckGracePeriodSeconds: number;
  instanceRefresh: InstanceRefreshSettings;
}

/** Local state files, outside the output directory (README: Where local state lives). */
export interface LocalState {
  /** The backend: `local`. */
  backend: 'local';
}

/** State in an S3 bucket, one key per stack. */
export interface S3StateInput {
  /** The backend: `s3`. */
  backend: 's3';
  /** Name of the bucket holding the state. */
  bucket: string;
  /** Region of the bucket. */
  region: string;
  /**
   * Key prefix: the state key is `<keyPrefix>/<stack>.tfstate`.
   * @default - no prefix: `<stack>.tfstate`
   */
  keyPrefix?: string;
  /**
   * Whether Terraform locks the state with S3 native locking.
   * @default `true`
   */
  lockfile?: boolean;
}

/** State in an S3 bucket, with the defaults applied. */
export interface S3State extends S3StateInput {
  lockfile: boolean;
}

/** State in HCP Terraform or Terraform Enterprise, one workspace per stack. */
export interface CloudStateInput {
  /** The backend: `cloud`. */
  backend: 'cloud';
  /** The organization that holds the workspaces. */
  organization: string;
  /**
   * Workspace name prefix: the workspace is `<workspacePrefix><stack>`.
   * @default `''`
   */
  workspacePrefix?: string;
  /**
   * The project new workspaces are made in.
   * @default - the organization's default project
   */
  project?: string;
  /**
   * Hostname of Terraform Enterprise.
   * @default - app.terraform.io (HCP Terraform)
   */
  hostname?: string;
}

/** State in HCP Terraform or Terraform Enterprise, with the defaults applied. */
export interface CloudState extends CloudStateInput {
  workspacePrefix: string;
}

/** Where Terraform keeps each stack's state. */
export type StateSettingsInput = LocalState | S3StateInput | CloudStateInput;

/** Where Terraform keeps each stack's state, with the defaults applied. */
export type StateSettings = LocalState | S3State | CloudState;

/**
 * A fleet as written in a fleet file, or passed to `FleetStack` and `addFleetStacks`: a golden
 * image copied to every region, with a launch template per region.
 */
export interface FleetInput {
  /**
   * Names stacks and resources: a lowercase letter, then up to 30 lowercase letters, digits
   * or -; at least 3 characters (it names EC2 launch templates).
   */
  fleet: string;
  /**
   * What the fleet is for (up to 255 characters).
   * @default - no description
   */
  description?: string;
  /**
   * Tags of every taggable resource, with amifleet's own (Fleet, ManagedBy): tag name -> value.
   * @default `{}`
   */
  tags?: Record<string, string>;
  /** Where the golden image lives. */
  source: FleetSourceInput;
  /**
   * Regions of the account Terraform's credentials are in, each with its own copy and launch
   * template (the source region too when listed); `null` is `{}`. May be empty or left out
   * when `accounts` are given.
   * @default `{}`
   */
  regions?: Record<string, RegionSettings | null | undefined>;
  /**
   * Other AWS accounts that get the fleet, by name (`^[a-z][a-z0-9-]{0,30}$`, names their
   * stacks): copies owned by each account, made through its role.
   * @default `{}`
   */
  accounts?: Record<string, AccountSettingsInput>;
  /**
   * How the source image is copied into each region.
   * @default `{ encrypted: true }`
   */
  copy?: CopySettingsInput;
  /** The launch template made in each region. */
  launchTemplate: LaunchTemplateSettingsInput;
  /**
   * Where each region's image id is published.
   * @default - not published
   */
  publish?: PublishSettings;
  /**
   * The order in which a new source image reaches the regions.
   * @default - every region at once
   */
  rollout?: RolloutSettings;
  /**
   * One Auto Scaling group per region on that region's launch template.
   * @default - no Auto Scaling groups
   */
  autoScaling?: AutoScalingSettingsInput;
  /**
   * Where Terraform keeps each stack's state.
   * @default - `{ backend: 'local' }`: local state files
   */
  state?: StateSettingsInput;
  /**
   * `per-region`: one stack, one state per region (`<fleet>-<region>`); `single`: one stack
   * for the whole fleet (`<fleet>`).
   * @default `'per-region'`
   */
  layout?: Layout;
  /**
   * Warnings this fleet accepts, by check id, each with the reason (README: Checks).
   * @default `{}`
   */
  suppress?: Record<string, string>;
}

/** A validated fleet with the contract's defaults applied. */
export interface Fleet extends FleetInput {
  tags: Record<string, string>;
  source: FleetSource;
  regions: Record<string, RegionSettings>;
  accounts: Record<string, AccountSettings>;
  copy: CopySettings;
  launchTemplate: LaunchTemplateSettings;
  autoScaling?: AutoScalingSettings;
  state: StateSettings;
  layout: Layout;
  suppress: Record<string, string>;
}
