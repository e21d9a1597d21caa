import type { FleetRule } from './fleet-rule';

export const rolloutPromotedOutOfRange: FleetRule = {
  id: 'rollout-promoted-out-of-range',
  severity: 'error',
  doc: 'rollout.promoted counts waves: 0 (every wave rolled back) up to the number of waves (every wave promoted).',
  dataSource: 'amifleet rollout contract (PRODUCT.md, v2: rollout.promoted)',
  check(fleet) {
    const promoted = fleet.rollout?.promoted;
    const count = fleet.rollout?.waves?.length ?? 1;
    if (promoted === undefined || promoted <= count) return [];
    return [{
      path: ['rollout', 'promoted'],
      message: `${promoted} waves promoted, but the rollout has ${count === 1 ? '1 wave (no waves listed: every region in one)' : `${count} waves`}`,
      suggestion: `at most ${count}: waves 1..promoted launch source.ami, 0 rolls every wave back`,
    }];
  },
};
