import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import type { Fleet, FleetInput } from '../fleet/fleet-spec';
import { ImageSource } from './image-source';
import { assumeRoleSessionName, fleetAccountView, sourceNeedsSharing } from '../fleet/fleet-accounts';
import { shareStackName } from '../fleet/fleet-names';
import { RegionalFleet } from './regional-fleet';
import { configureStateBackend } from './state-backend';
import { FleetValidationError } from '../fleet/fleet-validation-error';
import { declareFleetModuleInputs } from './fleet-module-inputs';
import { assumedRoleAccount, sourceImageReadable } from '../guards';
import type { UserDataTemplate } from '../rendering/user-data';
import { validateFleet, validationErrors } from '../fleet/fleet-validation';
import { stackToTerraform } from '../rendering/stack-json';
import { requireTerraform } from '../rendering/terraform-version';
import { terraformLiteral, terraformLiteralFleet } from '../rendering/terraform-literal';

/**
 * Makes an AWS provider of the app's: called with the settings amifleet needs, it returns a
 * provider created in `scope` under `id` with those settings merged into the app's own.
 *
 * @example
 * const provider: AwsProviderFactory = (scope, id, settings) =>
 *   new AwsProvider(scope, id, { ...settings, defaultTags: [{ tags: { team: 'platform' } }] });
 */
export type AwsProviderFactory = (scope: Construct, id: string, settings: AwsProviderConfig) => AwsProvider;

/** amifleet's own provider: exactly the settings it needs. */
export const defaultAwsProvider: AwsProviderFactory = (scope, id, settings) => new AwsProvider(scope, id, settings);

/** How a stack of amifleet's gets its providers and backend in an app of its own. */
export interface FleetStackAppProps {
  /**
   * Makes each AWS provider the stack needs, instead of amifleet configuring its own: called with the
   * settings amifleet needs (region; assumeRole for an account stack; alias 'credentials' for the
   * second provider of an account stack whose source is shared), it returns the app's provider,
   * created in `scope` with those settings merged into the app's own (default_tags, profile, ...).
   * @default - amifleet creates `new AwsProvider(scope, id, settings)`
   */
  readonly provider?: AwsProviderFactory;
  /** Configure the state backend from `fleet.state`; false leaves it to the app. @default true */
  readonly backend?: boolean;
}

export interface FleetStackProps extends FleetStackAppProps {
  /** The fleet, as a fleet file would give it; validated here. */
  readonly fleet: FleetInput | Fleet;
  /**
   * The entry of the fleet's `accounts` whose regions this stack holds; its provider assumes the
   * entry's `roleArn`. @default - the credentials' own account: the top-level `regions`
   */
  readonly account?: string;
  /** The regions this stack holds. @default - every region of its account */
  readonly regions?: string[];
  /**
   * The text of the fleet's user data template, rendered per region (`renderUserData`).
   * @default - no user data
   */
  readonly userDataTemplate?: UserDataTemplate;
  /**
   * Make the stack a reusable module: the name prefix, extra tags, instance types and a pinned
   * source image become Terraform variables, and no state backend is configured. @default false
   */
  readonly asModule?: boolean;
}

/**
 * One Terraform stack (one state) holding some or all regions of a fleet in one account: the
 * source image read in its region, and per region an image copy and a launch template that
 * uses it. Every regional resource carries its own `region` argument, so one provider serves
 * all. In an entry of `accounts` the provider assumes the entry's role, and plan-time guards
 * check that the role is in the entry's account and (for a shared source) that it can read
 * the source images.
 *
 * @example
 * const app = new App();
 * new FleetStack(app, 'web-eu-west-1', { fleet, regions: ['eu-west-1'] });
 * app.synth();
 */
export class FleetStack extends TerraformStack {
  /** The whole fleet, as validated. */
  public readonly fleet: Fleet;
  /** The entry of the fleet's `accounts` this stack is in; undefined: the credentials' own account. */
  public readonly account?: string;
  public readonly source: ImageSource;
  /** Regional fleets by region name. */
  public readonly regions: Readonly<Record<string, RegionalFleet>>;

  constructor(scope: Construct, name: string, props: FleetStackProps) {
    super(scope, name);
    const whole = validFleet(props.fleet);
    const view = fleetAccountView(whole, props.account);
    // The account's part of the fleet: its regions, and (for an entry of accounts) copies that are not shared.
    const fleet = view.fleet;
    const regions = [...(props.regions ?? Object.keys(fleet.regions))].sort();
    const unknown = regions.filter((r) => fleet.regions[r] === undefined);
    if (unknown.length > 0 || regions.length === 0) {
      throw new Error(`FleetStack ${name}: regions must be a non-empty subset of ${props.account === undefined ? 'the fleet\'s' : `account ${props.account}'s`}; unknown: ${unknown.join(', ')}`);
    }
    this.fleet = whole;
    this.account = props.account;
    const provider = props.provider ?? defaultAwsProvider;
    // The stack's home region only serves resources without a region argument (none today).
    provider(this, 'aws', {
      region: regions.length === 1 ? regions[0] : fleet.source.region,
      ...(view.settings ? { assumeRole: [{ roleArn: view.settings.roleArn, sessionName: assumeRoleSessionName(whole.fleet) }] } : {}),
    });
    requireTerraform(this, 'provider source addresses');
    const inputs = props.asModule ? declareFleetModuleInputs(this, fleet) : undefined;
    // Terraform reads backend settings as written (the schema refuses ${ and %{ in them).
    if (!inputs && (props.backend ?? true)) configureStateBackend(this, name, fleet.state);
    // Fleet text reaches Terraform literally: the source, here; RegionalFleet does the same for the rest.
    const literal = terraformLiteralFleet(fleet);
    const guarded = view.settings && props.account ? { fleet: whole.fleet, account: props.account, settings: view.settings } : undefined;
    const identity = guarded ? assumedRoleAccount(this, guarded) : undefined;
    // A shared source is resolved as its owner (the share stack's account) sees it: a lookup of self, a private parameter.
    const owner = guarded && sourceNeedsSharing(whole)
      ? provider(this, 'aws-credentials', { alias: 'credentials', region: fleet.source.region }) : undefined;
    this.source = new ImageSource(this, 'source', {
      ...literal.source, ami: inputs?.sourceImageId ?? literal.source.ami, snapshotDeviceNames: inputs?.snapshotDeviceNames, provider: owner,
      fleet: literal.fleet,
    });
    if (guarded && owner && identity) {
      sourceImageReadable(this, {
        ...guarded, region: this.source.region, owner, after: identity, shareStack: shareStackName(whole.fleet),
        imageIds: [this.source.imageId, ...this.source.previous.map((p) => p.imageId)],
        otherOwners: literal.source.lookup?.owners.filter((o) => o !== 'self'),
      });
    }
    const byRegion: Record<string, RegionalFleet> = {};
    for (const region of regions) {
      byRegion[region] = new RegionalFleet(this, region, {
        fleet, region, source: this.source, userDataTemplate: props.userDataTemplate,
        account: guarded ? { name: guarded.account, id: guarded.settings.id } : undefined,
        namePrefix: inputs?.namePrefix, instanceType: inputs?.instanceType(region), extraTags: inputs?.extraTags,
      });
    }
    this.regions = byRegion;
    this.addOutputs(regions);
    if (guarded) {
      new TerraformOutput(this, 'account_name', { value: guarded.account, description: 'The entry of the fleet\'s accounts this stack is in.' });
      new TerraformOutput(this, 'account_id', { value: guarded.settings.id, description: 'The account this stack\'s copies and launch templates are in.' });
    }
  }

  /** cdktf's configuration, resolving only what holds tokens (see `stackToTerraform`): the same JSON, in half the time. */
  public override toTerraform(): Record<string, unknown> {
    return stackToTerraform(this);
  }

  private addOutputs(regions: string[]): void {
    const perRegion = (pick: (r: RegionalFleet) => string | number) =>
      Object.fromEntries(regions.map((r) => [terraformLiteral(r), pick(this.regions[r])]));
    const outputs: Record<string, { what: string; pick: (r: RegionalFleet) => string | number }> = {
      image_id: { what: 'Image id to launch: the region\'s copy (or the image it adopted)', pick: (r) => r.imageId },
      launch_template_id: { what: 'Id of the region\'s launch template', pick: (r) => r.launchTemplate.launchTemplateId },
      launch_template_latest_version: { what: 'Latest (and default) version of the region\'s launch template', pick: (r) => r.launchTemplate.latestVersionNumber },
      ...(this.fleet.publish?.ssmParameter !== undefined
        ? { ssm_parameter_name: { what: 'SSM parameter holding the region\'s image id', pick: (r: RegionalFleet) => r.parameter!.parameterName } } : {}),
      ...(this.fleet.autoScaling !== undefined
        ? { auto_scaling_group_name: { what: 'Name of the region\'s Auto Scaling group', pick: (r: RegionalFleet) => r.autoScalingGroup!.groupName } } : {}),
      rollout_wave: { what: 'The region\'s wave in the fleet\'s rollout, from 1 (CI applies wave by wave)', pick: (r) => r.wave },
    };
    for (const [name, { what, pick }] of Object.entries(outputs)) {
      if (regions.length === 1) {
        new TerraformOutput(this, name, { value: pick(this.regions[regions[0]]), description: `${what}.` });
      }
      new TerraformOutput(this, `${name}s`, { value: perRegion(pick), description: `${what}, by region.` });
    }
    // Regions that adopt an image copy nothing, so they are left out of the maps of source images and copies.
    const copying = regions.filter((r) => this.regions[r].sourceImageId !== undefined);
    new TerraformOutput(this, 'source_image_ids', {
      value: Object.fromEntries(copying.map((r) => [terraformLiteral(r), this.regions[r].sourceImageId!])),
      description: 'The source image whose copy each region\'s launch template launches (its wave\'s), by region.',
    });
    new TerraformOutput(this, 'image_copy_ids', {
      value: Object.fromEntries(copying.map((r) => [terraformLiteral(r),
        Object.fromEntries(this.regions[r].copies.map((c) => [c.sourceImageId, c.copy.imageId]))])),
      description: 'Every kept source image\'s copy (source.ami and source.previous), by region and source image id.',
    });
  }

}

/** Fleets `validFleet` returned. They are frozen, so one given again (each stack of a fleet gets it) is still valid as it is. */
const VALID_FLEETS = new WeakSet<object>();

/**
 * The fleet with its defaults, or a FleetValidationError listing every error of the schema and
 * the rules. The result is deeply frozen; passing it in again returns it without validating twice.
 */
export function validFleet(input: FleetInput | Fleet): Fleet {
  if (VALID_FLEETS.has(input)) return input as Fleet;
  const validation = validateFleet(input);
  if (validation.failed || !validation.fleet) throw new FleetValidationError(validationErrors(validation));
  const fleet = deepFreeze(validation.fleet);
  VALID_FLEETS.add(fleet);
  return fleet;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
