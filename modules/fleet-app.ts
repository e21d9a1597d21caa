import type { Construct } from 'constructs';
import type { Fleet, FleetInput } from './fleet-spec';
import { fleetStackNames } from './fleet-names';
import { FleetStack, validFleet } from './fleet-stack';

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
  const fleet = validFleet(input);
  return Object.entries(fleetStackNames(fleet)).map(([name, regions]) =>
    new FleetStack(scope, name, { fleet, regions, userDataBase64: options.userDataBase64 }));
}
