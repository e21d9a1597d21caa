import type { Fleet } from '../fleet-spec';
import { presentKeys } from '../rejected-fields';

/** A fleet as one rule run sees it, and where the regions it holds are written in the fleet file. */
export interface RuleView {
  /** The entry's name in `accounts`; undefined for the fleet itself. */
  readonly account?: string;
  /** `['regions']`, or `['accounts', <name>, 'regions']`: a finding at `regions.<r>...` is there. */
  readonly regionsPath: readonly string[];
  readonly fleet: Fleet;
}

/**
 * What the rules run on: the fleet itself (its top-level regions and every fleet-level field,
 * `accounts` included), then each account as its stacks build it (`fleetAccountViews`: the
 * account's regions, no `accounts`, no `copy.shareWith`).
 *
 * An account's view is built lazily over the fleet rather than copied from it: a fleet the
 * schema partly rejected refuses reads of what it rejected (modules/fleet/rejected-fields.ts), and a
 * copy would read every field at once, so one rejected field would hide every account's regions.
 */
export function ruleViews(fleet: Fleet): RuleView[] {
  // Each account is checked on its own: one the schema rejected (a key such as Prod) leaves the others.
  const names = presentKeys(fleet.accounts).sort();
  return [{ regionsPath: ['regions'], fleet }, ...names.map((name) => accountRuleView(fleet, name))];
}

function accountRuleView(fleet: Fleet, name: string): RuleView {
  const view = overlay(fleet, {
    regions: () => fleet.accounts[name].regions,
    accounts: () => ({}),
    // An account's copies are its own: shareWith shares only the copies of the credentials' account.
    copy: () => overlay(fleet.copy, { shareWith: () => undefined }),
  });
  return { account: name, regionsPath: ['accounts', name, 'regions'], fleet: view };
}

/** `target` with some fields replaced, each read only when asked for; a field replaced by undefined is absent. */
function overlay<T extends object>(target: T, replaced: { [K in keyof T]?: () => T[K] | undefined }): T {
  const has = (prop: string | symbol): prop is keyof T & string => typeof prop === 'string' && Object.prototype.hasOwnProperty.call(replaced, prop);
  const absent = (prop: keyof T & string) => replaced[prop]!() === undefined;
  return new Proxy(target, {
    get: (t, prop, receiver) => (has(prop) ? replaced[prop]!() : Reflect.get(t, prop, receiver)),
    has: (t, prop) => (has(prop) ? !absent(prop) : Reflect.has(t, prop)),
    ownKeys: (t) => Reflect.ownKeys(t).filter((key) => !has(key) || !absent(key)),
    getOwnPropertyDescriptor: (t, prop) => {
      if (!has(prop)) return Reflect.getOwnPropertyDescriptor(t, prop);
      const value = replaced[prop]!();
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
  });
}
