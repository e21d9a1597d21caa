import type { FleetRule, RuleFinding } from './fleet-rule';
import { presentKeys, unlessRejected } from '../rejected-fields';

export const accountIdRepeated: FleetRule = {
  id: 'account-id-repeated',
  severity: 'error',
  doc: 'Each entry of accounts is another AWS account: no two entries have the same id.',
  dataSource: 'amifleet accounts contract: an entry names the stacks of one account, whose copies and launch templates are named by the fleet',
  acrossAccounts: true,
  check(fleet) {
    const first = new Map<string, string>();
    // An entry whose id the schema rejected is left out: it can hide a repeat, never make one.
    return presentKeys(fleet.accounts).flatMap((name): RuleFinding[] => {
      const id = unlessRejected(() => fleet.accounts[name].id);
      if (id === undefined) return [];
      const earlier = first.get(id);
      if (earlier === undefined) {
        first.set(id, name);
        return [];
      }
      return [{
        path: ['accounts', name, 'id'],
        message: `${id} is the id of accounts.${earlier} already: both entries would create the fleet's launch templates, under the same names, in the same account`,
        suggestion: `merge the regions of ${name} into ${earlier}, or correct the id`,
      }];
    });
  },
};
