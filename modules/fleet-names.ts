// The names amifleet gives stacks and AWS resources, in one place so the rules check exactly what is created.
import type { Fleet } from './fleet-spec';

/** An image copy's name; the source id in it means a new image never collides with the copy it replaces. */
export function imageCopyName(fleet: string, sourceImageId: string): string {
  return `${fleet}-${sourceImageId}`;
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

/** The stack names a fleet gets: `<fleet>-<region>` per region, or `<fleet>` for `layout: single`. */
export function fleetStackNames(fleet: Pick<Fleet, 'fleet' | 'regions' | 'layout'>): Record<string, string[]> {
  const regions = Object.keys(fleet.regions).sort();
  if (fleet.layout === 'single') return { [fleet.fleet]: regions };
  return Object.fromEntries(regions.map((r) => [`${fleet.fleet}-${r}`, [r]]));
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
