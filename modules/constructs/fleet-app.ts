import type { Construct } from 'constructs';
import type { Fleet, FleetInput } from '../fleet/fleet-spec';
import { fleetStackNames } from '../fleet/fleet-names';
import { FleetStack, validFleet, type FleetStackAppProps } from './fleet-stack';
import { FleetShareStack } from './fleet-share-stack';
import { fleetStackDependencies } from '../fleet/stack-waves';
import type { UserDataTemplate } from '../rendering/user-data';

export { fleetStackNames };
export type { FleetStackPlace } from '../fleet/fleet-names';

/** A stack `addFleetStacks` adds: a fleet stack of regions, or the share stack of a fleet with accounts. */
export type FleetAppStack = FleetStack | FleetShareStack;

/** `provider` and `backend` go to every stack (`FleetStackAppProps`). */
export interface FleetStacksOptions extends FleetStackAppProps {
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
export function addFleetStacks(scope: Construct, input: FleetInput | Fleet, options: FleetStacksOptions = {}): FleetAppStack[] {
  const fleet = validFleet(input);
  const stacks: FleetAppStack[] = Object.entries(fleetStackNames(fleet)).flatMap<FleetAppStack>(([name, place]) => (place.kind === 'regions'
    ? [new FleetStack(scope, name, {
      fleet, account: place.account, regions: [...place.regions], userDataTemplate: options.userDataTemplate,
      provider: options.provider, backend: options.backend,
    })]
    : [new FleetShareStack(scope, name, { fleet, provider: options.provider, backend: options.backend })]));
  const byName = new Map(stacks.map((s) => [s.node.id, s]));
  for (const [name, earlier] of Object.entries(fleetStackDependencies(fleet))) {
    for (const dependency of earlier) (byName.get(name) as FleetAppStack).addDependency(byName.get(dependency) as FleetAppStack);
  }
  return stacks;
}

