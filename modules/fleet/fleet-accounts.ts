import type { AccountSettings, Fleet } from './fleet-spec';

// Where a fleet's regions live: the account of the credentials Terraform runs with (the top-level
// `regions`), and each entry of `accounts`, whose stacks assume its role. The one reading of the
// accounts contract that the stacks, the rules, `show` and `docs` share.

/** The prefix of SSM public parameters, which name images AWS publishes to every account. */
const PUBLIC_PARAMETER_PREFIX = '/aws/service/';

/** One account's part of a fleet: the credentials' own (no `account`), or an entry of `accounts`. */
export interface FleetAccountView {
  /** The entry's name in `accounts`; undefined for the credentials' own account. */
  readonly account?: string;
  /** The entry's settings; undefined for the credentials' own account. */
  readonly settings?: AccountSettings;
  /** Where its regions are written in the fleet file: `['regions']` or `['accounts', <name>, 'regions']`. */
  readonly regionsPath: readonly string[];
  /**
   * The fleet as this account's stacks build it: its `regions` are the account's, it has no
   * `accounts`, and an entry's copies are not shared (`copy.shareWith` shares the copies in the
   * credentials' own account; an account's copies are its own). Everything else is the fleet's.
   */
  readonly fleet: Fleet;
}

/**
 * Every account of a fleet that has regions: the credentials' own first (when the top-level
 * `regions` list any), then the entries of `accounts` by name.
 *
 * @example
 * fleetAccountViews(fleet).map((v) => v.account); // [undefined, 'prod', 'staging']
 */
export function fleetAccountViews(fleet: Fleet): FleetAccountView[] {
  const own: FleetAccountView[] = Object.keys(fleet.regions).length > 0
    ? [{ regionsPath: ['regions'], fleet: Object.keys(fleet.accounts ?? {}).length === 0 ? fleet : { ...fleet, accounts: {} } }]
    : [];
  return [...own, ...Object.keys(fleet.accounts ?? {}).sort().map((name) => accountView(fleet, name))];
}

/** Every region name the fleet has in any account, sorted: what `rollout.waves` may name. */
export function fleetRegionNames(fleet: Pick<Fleet, 'regions'> & Partial<Pick<Fleet, 'accounts'>>): string[] {
  const names = new Set(Object.keys(fleet.regions));
  for (const account of Object.values(fleet.accounts ?? {})) for (const r of Object.keys(account.regions)) names.add(r);
  return [...names].sort();
}

/** One account's view (see `FleetAccountView`); `account` undefined gives the credentials' own. */
export function fleetAccountView(fleet: Fleet, account: string | undefined): FleetAccountView {
  if (account === undefined) return { regionsPath: ['regions'], fleet: { ...fleet, accounts: {} } };
  if (fleet.accounts?.[account] === undefined) throw new Error(`fleet ${fleet.fleet} has no account ${account}`);
  return accountView(fleet, account);
}

function accountView(fleet: Fleet, name: string): FleetAccountView {
  const settings = fleet.accounts[name];
  const { shareWith: _shared, ...copy } = fleet.copy;
  return {
    account: name, settings, regionsPath: ['accounts', name, 'regions'],
    fleet: { ...fleet, regions: settings.regions, accounts: {}, copy },
  };
}

/**
 * Whether the fleet needs a share stack (`<fleet>-share`): it has accounts, and its source image
 * is one the credentials' account owns and must share with them. A pinned `ami` and the
 * `source.previous` images are taken to be the credentials' own (the share stack checks at plan);
 * a lookup is when its owners name `self`; an SSM parameter is unless it is one of AWS's public
 * ones (`/aws/service/...`). Any other image is public or shared by its owner: no share stack,
 * and each account's stacks check at plan that they can read it.
 */
export function sourceNeedsSharing(fleet: Pick<Fleet, 'source'> & Partial<Pick<Fleet, 'accounts'>>): boolean {
  if (Object.keys(fleet.accounts ?? {}).length === 0) return false;
  const { source } = fleet;
  if (source.ami !== undefined) return true;
  if (source.lookup !== undefined) return source.lookup.owners.includes('self');
  return source.ssmParameter !== undefined && !source.ssmParameter.startsWith(PUBLIC_PARAMETER_PREFIX);
}

/** The STS session name of an account's stacks (at most 64 characters): it names amifleet and the fleet in CloudTrail. */
export function assumeRoleSessionName(fleet: string): string {
  return `amifleet-${fleet}`;
}
