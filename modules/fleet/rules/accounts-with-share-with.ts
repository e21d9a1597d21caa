import type { FleetRule } from './fleet-rule';

export const accountsWithShareWith: FleetRule = {
  id: 'accounts-with-share-with',
  severity: 'warning',
  doc: 'accounts with copy.shareWith: shareWith shares the copies of the credentials\' account; each account\'s own copies are not shared.',
  dataSource: 'amifleet accounts contract (copy.shareWith: launch permission on the copies in the top-level regions)',
  acrossAccounts: true,
  check(fleet) {
    const share = fleet.copy.shareWith;
    const names = Object.keys(fleet.accounts);
    const regions = Object.keys(fleet.regions);
    if (share === undefined || names.length === 0 || regions.length === 0) return [];
    const both = names.filter((n) => share.accounts.includes(fleet.accounts[n].id));
    return [{
      path: ['copy', 'shareWith'], atKey: true,
      message: `shareWith gives launch permission on the copies the credentials' account owns, in ${regions.join(', ')}; `
        + `accounts (${names.join(', ')}) get copies owned by each account, which are not shared`
        + (both.length === 0 ? '' : `; ${both.map((n) => `${fleet.accounts[n].id} (accounts.${n})`).join(', ')} ${both.length === 1 ? 'gets' : 'get'} both`),
      suggestion: both.length === 0 ? 'suppress accounts-with-share-with with the reason, if both are meant'
        : 'remove those ids from shareWith.accounts if their own copies are enough, or suppress accounts-with-share-with with the reason',
    }];
  },
};
