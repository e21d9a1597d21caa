import type { FleetRule, RuleFinding } from './fleet-rule';

export const rolloutWithoutPreviousImage: FleetRule = {
  id: 'rollout-without-previous-image',
  severity: 'error',
  doc: 'A rollout of several waves, or one that holds waves back (promoted below the wave count), has a pinned source.ami and a source.previous.',
  dataSource: 'amifleet rollout contract (PRODUCT.md, v2: rollout.waves and promoted below the number of waves need a pinned source.ami and a non-empty source.previous)',
  check(fleet) {
    const rollout = fleet.rollout;
    if (rollout === undefined) return [];
    const count = rollout.waves?.length ?? 1;
    const promoted = rollout.promoted ?? count;
    const heldBack = promoted < count;
    if (count === 1 && !heldBack) return [];
    const path = heldBack ? ['rollout', 'promoted'] : ['rollout', 'waves'];
    const held = promoted + 1 === count ? `wave ${count}` : `waves ${promoted + 1}..${count}`;
    const what = heldBack ? (promoted === 0 ? 'a rollback (promoted: 0)' : `holding back ${held} (promoted: ${promoted})`) : `a rollout of ${count} waves`;
    if (fleet.source.ami === undefined) {
      const kind = fleet.source.lookup !== undefined ? 'lookup' : 'SSM parameter';
      return [{
        path,
        message: `${what} needs a pinned source.ami: the ${kind} resolves the newest image at each stack's plan, so no wave can stay on an older one`,
        suggestion: 'pin it with amifleet release <file> --ami <id>',
      }];
    }
    if (fleet.source.previous.length > 0) return [];
    const finding: RuleFinding = heldBack
      ? { path, message: `${what} launches source.previous[0] ${promoted === 0 ? 'in every wave' : 'there'}, but source.previous is empty`,
        suggestion: `add the image those regions launch now to source.previous, or promote every wave with promoted: ${count}` }
      : { path, message: `${what} needs source.previous: the image the later waves keep launching until they are promoted, and go back to on a rollback`,
        suggestion: 'add the image the fleet launched before to source.previous (amifleet release --ami <id> does it)' };
    return [finding];
  },
};
