import type { Construct } from 'constructs';
import { TerraformLocal, TerraformVariable, Token } from 'cdktf';
import type { Fleet } from '../fleet/fleet-spec';
import { requireTerraform } from '../rendering/terraform-version';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';
import { terraformLiteral } from '../rendering/terraform-literal';
import { describeImage, snapshotDeviceNamesOf } from './image-source';

/** What a caller of a fleet module may change, as Terraform variable references. */
export interface FleetModuleInputs {
  readonly namePrefix: string;
  readonly extraTags: Record<string, string>;
  readonly instanceType: (region: string) => string;
  /** Set only when the fleet pins its source image. */
  readonly sourceImageId?: string;
  /** Device names keying the copies' snapshot resources: the input, else the fleet file's image's. Set with sourceImageId. */
  readonly snapshotDeviceNames?: string[];
}

/**
 * Declares a fleet module's variables (name_prefix, tags, instance_types, and for a pinned image
 * source_image_id and snapshot_device_names), each defaulting to the fleet file's value and
 * validated like it.
 * Terraform reads a default as written, and conditions and lookups as templates: the fleet's
 * text goes into the first as it is, into the others as `terraformLiteral` writes it.
 */
export function declareFleetModuleInputs(scope: Construct, fleet: Fleet): FleetModuleInputs {
  const regions = Object.keys(fleet.regions).sort();
  requireTerraform(scope, 'input variable validation');
  requireTerraform(scope, 'alltrue()');
  const namePrefix = new TerraformVariable(scope, 'name_prefix', {
    type: 'string',
    default: fleet.fleet,
    description: 'Start of the names of the image copies and launch templates.',
    validation: [{
      condition: '${can(regex("^[a-z][a-z0-9-]{0,30}$", var.name_prefix))}',
      errorMessage: 'name_prefix must be a lowercase letter, then up to 30 lowercase letters, digits or -.',
    }],
  });
  const tags = new TerraformVariable(scope, 'tags', {
    type: 'map(string)',
    default: {},
    description: 'Extra tags on every resource; amifleet\'s own (Fleet, ManagedBy) and the fleet\'s win on a clash.',
  });
  const defaults = Object.fromEntries(regions.map((r) => [r, fleet.regions[r].instanceType ?? fleet.launchTemplate.instanceType]));
  const instanceTypes = new TerraformVariable(scope, 'instance_types', {
    type: 'map(string)',
    description: 'Instance type per region; a region left out keeps its default.',
    validation: [{
      condition: `\${alltrue([for r in keys(var.instance_types) : contains(${JSON.stringify(regions.map(terraformLiteral))}, r)])}`,
      errorMessage: `instance_types may only name the fleet's regions: ${regions.map(terraformLiteral).join(', ')}.`,
    }],
  });
  // cdktf snake_cases the keys of a variable's default (eu-west-1 → eu_west_1); an override is written as is.
  instanceTypes.addOverride('default', defaults);
  let sourceImageId: string | undefined;
  let snapshotDeviceNames: string[] | undefined;
  if (fleet.source.ami !== undefined) {
    sourceImageId = new TerraformVariable(scope, 'source_image_id', {
      type: 'string',
      default: fleet.source.ami,
      description: `Golden image to copy, in ${fleet.source.region}.`,
      validation: [{
        condition: '${can(regex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$", var.source_image_id))}',
        errorMessage: 'source_image_id must be an AMI id: ami- followed by 8 or 17 hex digits.',
      }],
    }).stringValue;
    snapshotDeviceNames = snapshotDeviceNamesInput(scope, fleet.source.region, fleet.source.ami);
  }
  const tagMap = Token.asStringMap(tags.value);
  return {
    namePrefix: namePrefix.stringValue,
    extraTags: tagMap,
    // What Fn.lookup writes, as one token, without cdktf's own escaping of the literals (see hclExpression).
    instanceType: (region) => hclExpression((hcl) =>
      `lookup(${hcl(instanceTypes.value)}, ${hcl(terraformLiteral(region))}, ${hcl(terraformLiteral(defaults[region]))})`),
    sourceImageId,
    snapshotDeviceNames,
  };
}

/**
 * snapshot_device_names: for_each keys must be known at plan, and a source_image_id wired to an
 * image pipeline is known only after apply, so by default the keys are the devices of the fleet
 * file's own image (a literal id, read at plan); an image of another layout needs the input.
 */
function snapshotDeviceNamesInput(scope: Construct, region: string, fleetImageId: string): string[] {
  const input = new TerraformVariable(scope, 'snapshot_device_names', {
    type: 'list(string)',
    description: `Device names of the source image's EBS snapshots, e.g. ["/dev/xvda"]: they key the copies' snapshot tags and permissions, known at plan. `
      + `null: those of ${fleetImageId}, the fleet file's image. Set them for a source_image_id with other devices.`,
    validation: [{
      // A conditional, not ||: Terraform evaluates both sides of ||, and length(null) fails.
      condition: '${var.snapshot_device_names == null ? true : length(var.snapshot_device_names) > 0 && alltrue([for d in var.snapshot_device_names : d != ""])}',
      errorMessage: 'snapshot_device_names must be null (the devices of the fleet file\'s image) or a non-empty list of device names such as "/dev/xvda".',
    }],
  });
  // cdktf's variable rendering fails on a null default (it snake_cases its keys); an override is written as is.
  input.addOverride('default', null);
  // Read only for the default: a set input needs no image, which may since have been deregistered.
  const fleetImage = describeImage(scope, 'fleet-image', terraformLiteral(region), terraformLiteral(fleetImageId));
  fleetImage.count = Token.asNumber(hclExpression((hcl) => `${hcl(input.value)} == null ? 1 : 0`));
  const fromImage = snapshotDeviceNamesOf(fleetImage, 0);
  // A local, so the snapshot resources and the guard name the choice instead of repeating it.
  const chosen = new TerraformLocal(scope, 'snapshot-device-names',
    hclExpression((hcl) => `${hcl(input.value)} != null ? ${hcl(input.value)} : ${hcl(fromImage)}`));
  return Token.asList(hclExpression(() => hclAddress(chosen)));
}
