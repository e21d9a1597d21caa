import type { FleetRule } from './fleet-rule';

export const unencryptedCopy: FleetRule = {
  id: 'unencrypted-copy',
  severity: 'warning',
  doc: 'Image copies are encrypted: an unencrypted copy leaves its snapshots readable to anyone who can reach them.',
  dataSource: 'AWS EBS encryption documentation',
  check(fleet) {
    if (fleet.copy.encrypted) return [];
    return [{
      path: ['copy', 'encrypted'],
      message: 'copies are not encrypted: their snapshots are stored in the clear',
      suggestion: 'remove encrypted: false, or suppress unencrypted-copy with the reason',
    }];
  },
};
