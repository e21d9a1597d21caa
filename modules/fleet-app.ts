import type { Construct } from 'constructs';
import { FleetSchema, type Fleet, type FleetInput } from './fleet-spec';
import { FleetStack } from './fleet-stack';
import { FleetValidationError } from './fleet-validation-error';
import type { UserDataTemplate } from './user-data';

export interface FleetStacksOptions {
  /**
   * The text of the fleet's user data template (`launchTemplate.userData.template`), rendered
   * per region. @default - no user data
   */
  readonly userDataTemplate?: UserDataTemplate;
}

/** The stack names a fleet gets: `<fleet>-<region>` per region, or `<fleet>` for `layout: single`. */
export function fleetStackNames(fleet: Pick<Fleet, 'fleet' | 'regions' | 'layout'>): Record<string, string[]> {
  const regions = Object.keys(fleet.regions).sort();
  if (fleet.layout === 'single') return { [fleet.fleet]: regions };
  return Object.fromEntries(regions.map((r) => [`${fleet.fleet}-${r}`, [r]]));
}

/**
 * Adds the stacks of one fleet to an app, as its layout says.
 *
 * @example
 * const app = new App();
 * addFleetStacks(app, { fleet: 'web', source: {...}, regions: {...}, launchTemplate: {...} });
 * app.synth();
 */
export function addFleetStacks(scope: Construct, input: FleetInput | Fleet, options: FleetStacksOptions = {}): FleetStack[] {
  const parsed = FleetSchema.safeParse(input);
  if (!parsed.success) throw FleetValidationError.fromZod(parsed.error);
  const fleet = parsed.data;
  return Object.entries(fleetStackNames(fleet)).map(([name, regions]) =>
    new FleetStack(scope, name, { fleet, regions, userDataTemplate: options.userDataTemplate }));
}
