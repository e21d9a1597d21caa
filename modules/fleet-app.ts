import type { Construct } from 'constructs';
import { FleetSchema, type Fleet, type FleetInput } from './fleet-spec';
import { FleetStack } from './fleet-stack';
import { FleetValidationError } from './fleet-validation-error';
import { fleetStackNames } from './fleet-stack-names';

// Re-exported: naming stacks needs no cdktf, so the loader imports it from its own file.
export { fleetStackNames };

export interface FleetStacksOptions {
  /** Base64 user data per region. @default - none */
  readonly userDataBase64?: Readonly<Record<string, string>>;
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
    new FleetStack(scope, name, { fleet, regions, userDataBase64: options.userDataBase64 }));
}
