import type { FleetRule } from './fleet-rule';

export const shareWithWithoutRegions: FleetRule = {
  id: 'share-with-without-regions',
  severity: 'error',
  doc: 'copy.shareWith needs top-level regions: it shares the copies of the credentials\' account, never an account\'s own copies.',
  dataSource: 'amifleet accounts contract (copy.shareWith: launch permission on the copies in the top-level regions)',
  acrossAccounts: true,
  check(fleet) {
    if (fleet.copy.shareWith === undefined || Object.keys(fleet.regions).length > 0) return [];
    return [{
      path: ['copy', 'shareWith'], atKey: true,
      message: 'shares nothing: it shares the copies in the top-level regions (the credentials\' account), and there are none; '
        + 'the copies of each entry of accounts are owned by that account and never shared',
      suggestion: 'remove shareWith, or add the regions whose copies it shares under regions',
    }];
  },
};
