import { fleetStackNames, shareStackName } from '../fleet-names';
import type { Fleet } from '../fleet-spec';
import { independentParts, type FleetRule, type RuleFinding } from './fleet-rule';
import { presentKeys, unlessRejected } from '../rejected-fields';

/** The account name amifleet keeps for the stack that shares the source image, `<fleet>-share`. */
const SHARE = 'share';

export const accountNameConflict: FleetRule = {
  id: 'account-name-conflict',
  severity: 'error',
  doc: 'No account is named share (the share stack is <fleet>-share), and no two stacks of the fleet get one name.',
  dataSource: 'amifleet stack names (modules/fleet/fleet-names.ts): <fleet>-<region>, <fleet>-<account>-<region>, <fleet>-share',
  acrossAccounts: true,
  check(fleet) {
    const names = presentKeys(fleet.accounts);
    return independentParts(
      () => names.filter((name) => name === SHARE).map((name) => ({
        path: ['accounts', name], atKey: true,
        // A rejected fleet name does not make the name free: say it in general then.
        message: `the name ${SHARE} is amifleet's: the stack that shares the source image with the accounts is ${unlessRejected(() => shareStackName(fleet.fleet)) ?? shareStackName('<fleet>')}`,
        suggestion: 'name the account by what it runs, e.g. shared-services',
      })),
      () => {
        // The share stack's name is taken whether or not this source needs one: a later source may.
        const owners = new Map<string, string>([[shareStackName(fleet.fleet), 'the share stack']]);
        for (const stack of regionStacks(fleet, fleet.regions, {})) owners.set(stack, 'the top-level regions');
        return names.filter((name) => name !== SHARE).flatMap((name): RuleFinding[] => {
          // An account whose regions the schema rejected names stacks no one knows yet: left out.
          const stacks = unlessRejected(() => regionStacks(fleet, {}, { [name]: fleet.accounts[name] })) ?? [];
          const taken = stacks.find((stack) => owners.has(stack));
          for (const stack of stacks) if (!owners.has(stack)) owners.set(stack, `accounts.${name}`);
          return taken === undefined ? [] : [{
            path: ['accounts', name], atKey: true,
            message: `names the stack ${taken}, which is already a stack of ${owners.get(taken)}; two stacks of one name would share one directory and one state`,
            suggestion: 'rename this account',
          }];
        });
      },
    );
  },
};

/** The names of the stacks that hold these regions and accounts (no share stack), sorted. */
function regionStacks(fleet: Fleet, regions: Fleet['regions'], accounts: Fleet['accounts']): string[] {
  const stacks = fleetStackNames({ fleet: fleet.fleet, layout: fleet.layout, source: fleet.source, regions, accounts });
  return Object.keys(stacks).filter((s) => stacks[s].kind === 'regions').sort();
}
