import type { Fleet } from '../modules/fleet/fleet-spec';
import { fleetAccountViews, type FleetAccountView } from '../modules/fleet/fleet-accounts';
import { fleetStackNames } from '../modules/fleet/fleet-names';
import { fleetRollout, type FleetRollout } from '../modules/fleet/rollout';

// What `show`, `docs` and release/promote/rollback list: every region of every account of a
// fleet, in rollout order, each with the stack that holds it.

/** One region of one account: a row of `show`, of the docs page and of a rollout step's table. */
export interface AccountRegion {
  /** The account: the credentials' own (no `account`) or an entry of `accounts`. */
  readonly view: FleetAccountView;
  /** The rollout of that account's regions (`view.fleet`): the same waves, its own regions. */
  readonly rollout: FleetRollout;
  readonly region: string;
  /** The region's wave, from 1: the same in every account. */
  readonly wave: number;
  /** The stack that holds the region in that account. */
  readonly stack: string;
}

/** What the credentials' own account is called where accounts are listed: its id is known only at plan. */
export const OWN_ACCOUNT = '(own)';

/**
 * Every region of every account, wave by wave; in a wave the credentials' own account first,
 * then the entries of `accounts` by name, each with its regions in the wave's order.
 *
 * @example
 * accountRegions(fleet).map((r) => `${r.view.account ?? OWN_ACCOUNT}/${r.region}`); // ['prod/us-east-1', 'staging/us-east-1', 'prod/eu-west-1', ...]
 */
export function accountRegions(fleet: Fleet): AccountRegion[] {
  const places = Object.entries(fleetStackNames(fleet));
  const accounts = fleetAccountViews(fleet).map((view) => ({ view, rollout: fleetRollout(view.fleet) }));
  const waveCount = Math.max(0, ...accounts.map((a) => a.rollout.waves.length));
  const rows: AccountRegion[] = [];
  for (let i = 0; i < waveCount; i++) {
    for (const { view, rollout } of accounts) {
      for (const region of rollout.waves[i] ?? []) {
        const stack = places.find(([, p]) => p.kind === 'regions' && p.account === view.account && p.regions.includes(region))?.[0] ?? '';
        rows.push({ view, rollout, region, wave: i + 1, stack });
      }
    }
  }
  return rows;
}

/** Whether the fleet lists accounts: only then do its tables name the account of each row. */
export function hasAccounts(fleet: Pick<Fleet, 'accounts'>): boolean {
  return Object.keys(fleet.accounts ?? {}).length > 0;
}

/** An account as a table cell: `(own)`, or an entry's name and id, `prod (444455556666)`. */
export function accountText(view: Pick<FleetAccountView, 'account' | 'settings'>): string {
  return view.account === undefined ? OWN_ACCOUNT : `${view.account} (${view.settings?.id ?? ''})`;
}
