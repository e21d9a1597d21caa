import type { Construct } from 'constructs';
import type { Fleet, FleetInput } from './fleet-spec';
import { fleetStackNames } from './fleet-names';
import { FleetStack, validFleet } from './fleet-stack';
import { fleetStackDependencies } from './stack-waves';
import type { UserDataTemplate } from './user-data';

export { fleetStackNames };

export interface FleetStacksOptions {
  /**
   * The text of the fleet's user data template (`launchTemplate.userData.template`), rendered
   * per region. @default - no user data
   */
  readonly userDataTemplate?: UserDataTemplate;
}

/**
 * Adds the stacks of one fleet to an app, as its layout says. Each stack of a rollout wave
 * depends on every stack of the wave before, so `cdktf deploy` applies the waves in order.
 *
 * @example
 * const app = new App();
 * addFleetStacks(app, { fleet: 'web', source: {...}, regions: {...}, launchTemplate: {...} });
 * app.synth();
 */
export function addFleetStacks(scope: Construct, input: FleetInput | Fleet, options: FleetStacksOptions = {}): FleetStack[] {
  const fleet = validFleet(input);
  const stacks = Object.entries(fleetStackNames(fleet)).flatMap(([name, place]) => (place.kind === 'regions'
    ? [new FleetStack(scope, name, { fleet, account: place.account, regions: [...place.regions], userDataTemplate: options.userDataTemplate })]
    // The share stack's construct lands next (issue 15): until then a fleet's share stack is not built, and nothing waits for it.
    : []));
  const byName = new Map(stacks.map((s) => [s.node.id, s]));
  for (const [name, earlier] of Object.entries(fleetStackDependencies(fleet))) {
    for (const dependency of earlier.filter((d) => byName.has(d))) byName.get(name)?.addDependency(byName.get(dependency) as FleetStack);
  }
  return stacks;
}

