// The names amifleet gives stacks and AWS resources, in one place so the rules check exactly what is created.
import { createHash } from 'node:crypto';
import type { Fleet } from './fleet-spec';
import { sourceNeedsSharing } from './fleet-accounts';

/** What else forces a new `aws_ami_copy` besides its source image (hashicorp/aws: ForceNew), so it is in the copy's name. */
export interface ImageCopyInputs {
  readonly sourceRegion: string;
  readonly encrypted: boolean;
  /** @default - the region's default EBS key */
  readonly kmsKeyId?: string;
}

/**
 * An image copy's name, `<prefix>-<source image id>-<8 hex digits>`: the digits are a digest of
 * the other inputs that force a new copy (source region, encryption, KMS key), so a copy that
 * replaces another (create before destroy, while the old one still holds its name) never takes
 * the same name, whatever forced it. The inputs are fleet data, literal even in a module.
 */
export function imageCopyName(prefix: string, sourceImageId: string, inputs: ImageCopyInputs): string {
  return `${prefix}-${sourceImageId}-${imageCopyDigest(inputs)}`;
}

/** 8 hex digits of SHA-1 over `<source region>|<encrypted>|<KMS key or nothing>`, as Terraform's `substr(sha1(...), 0, 8)` would give them. */
export function imageCopyDigest(inputs: ImageCopyInputs): string {
  return createHash('sha1').update(`${inputs.sourceRegion}|${inputs.encrypted}|${inputs.kmsKeyId ?? ''}`).digest('hex').slice(0, 8);
}

/** A launch template's name: the fleet's, unique in each region. */
export function launchTemplateName(fleet: string): string {
  return fleet;
}

/** An Auto Scaling group's name: the fleet's (its launch template's), unique in each region and account. */
export function autoScalingGroupName(fleet: string): string {
  return fleet;
}

/** The longest id EC2 gives an image (ami- and 17 hex digits): the worst case for a copy name. */
export const LONGEST_IMAGE_ID = `ami-${'f'.repeat(17)}`;

/** What one stack of a fleet holds. */
export type FleetStackPlace =
  /** Regions of one account: the credentials' own (no `account`) or an entry of `accounts`, whose role the stack's provider assumes. */
  | { readonly kind: 'regions'; readonly account?: string; readonly regions: readonly string[] }
  /** The source image shared with every account (launch and create-volume permissions, KMS grants), in the source region. */
  | { readonly kind: 'share'; readonly regions: readonly [string] };

/** The name of a fleet's share stack (see `sourceNeedsSharing` for when it has one). */
export function shareStackName(fleet: string): string {
  return `${fleet}-share`;
}

/**
 * The stacks a fleet gets, by name: `<fleet>-<region>` per region of the credentials' own account
 * and `<fleet>-<account>-<region>` per region of each account (`layout: single`: `<fleet>` and
 * `<fleet>-<account>`), and `<fleet>-share` when the source image must be shared with the accounts.
 */
export function fleetStackNames(fleet: Pick<Fleet, 'fleet' | 'regions' | 'layout' | 'source'> & Partial<Pick<Fleet, 'accounts'>>): Record<string, FleetStackPlace> {
  const stacks: Record<string, FleetStackPlace> = {};
  const add = (prefix: string, account: string | undefined, regionMap: Readonly<Record<string, unknown>>) => {
    const regions = Object.keys(regionMap).sort();
    if (regions.length === 0) return;
    if (fleet.layout === 'single') stacks[prefix] = { kind: 'regions', ...(account ? { account } : {}), regions };
    else for (const r of regions) stacks[`${prefix}-${r}`] = { kind: 'regions', ...(account ? { account } : {}), regions: [r] };
  };
  add(fleet.fleet, undefined, fleet.regions);
  for (const account of Object.keys(fleet.accounts ?? {}).sort()) add(`${fleet.fleet}-${account}`, account, fleet.accounts![account].regions);
  if (sourceNeedsSharing(fleet)) stacks[shareStackName(fleet.fleet)] = { kind: 'share', regions: [fleet.source.region] };
  return stacks;
}

/**
 * Where a stack's local state lives, relative to its stack directory (`<out>/stacks/<stack>`):
 * beside the output directory, where cdktf keeps it too, so that no synth into the output
 * directory can touch it. Relative, so a checkout elsewhere (CI) finds it the same way.
 */
export function localStatePath(stackName: string): string {
  return `../../../terraform.${stackName}.tfstate`;
}

/** Where the state of a stack's other Terraform workspaces lives, beside the output directory too (Terraform's default is the stack directory). */
export function localWorkspaceDir(stackName: string): string {
  return `../../../terraform.tfstate.d/${stackName}`;
}

/** Where amifleet 0.1 kept local state: inside the stack directory, which every synth replaced. */
export function legacyLocalStateFile(stackName: string): string {
  return `terraform.${stackName}.tfstate`;
}
