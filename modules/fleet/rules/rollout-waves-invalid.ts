import { closest, didYouMean } from '../closest-name';
import { EVERY_OTHER_REGION } from '../fleet-spec';
import { fleetRegionNames } from '../fleet-accounts';
import { independentParts, type FleetRule, type RuleFinding } from './fleet-rule';

export const rolloutWavesInvalid: FleetRule = {
  id: 'rollout-waves-invalid',
  severity: 'error',
  doc: 'rollout.waves names each fleet region once, only regions of the fleet, and "*" (every other region) once, in the last wave.',
  dataSource: 'amifleet rollout contract (PRODUCT.md, v2: rollout.waves)',
  acrossAccounts: true,
  check(fleet) {
    const waves = fleet.rollout?.waves;
    if (waves === undefined) return [];
    const named = waves.flatMap((wave, w) => wave.map((name, i) => ({ name, wave: w + 1, path: ['rollout', 'waves', w, i] })));
    const regionNames = named.filter((n) => n.name !== EVERY_OTHER_REGION);
    return independentParts(
      () => named.filter((n) => n.name === EVERY_OTHER_REGION).map((n, k): RuleFinding | undefined => (n.wave < waves.length
        ? {
          path: n.path,
          message: `"${EVERY_OTHER_REGION}" (every region not named before) is in wave ${n.wave} of ${waves.length}: it can only be in the last wave`,
          suggestion: `end the waves with ["${EVERY_OTHER_REGION}"] instead`,
        }
        : k > 0 ? { path: n.path, message: `"${EVERY_OTHER_REGION}" again: one already stands for every region not named before`, suggestion: 'remove this one' } : undefined))
        .filter((f): f is RuleFinding => f !== undefined),
      () => regionNames.flatMap((n, k): RuleFinding[] => {
        const first = regionNames.findIndex((m) => m.name === n.name);
        if (first === k) return [];
        return [{
          path: n.path,
          message: `${n.name} is in wave ${regionNames[first].wave} already: a region launches one image at a time, so it is in one wave`,
          suggestion: 'remove it from one of them',
        }];
      }),
      () => {
        // A wave names regions in every account: the fleet's regions are those of any account.
        const regions = fleetRegionNames(fleet);
        const unknown = regionNames.filter((n) => !regions.includes(n.name));
        // A region that a misspelt name probably meant is not missing: the misspelling is the mistake.
        const meant = new Set(unknown.map((n) => closest(n.name, regions)));
        const missing = named.some((n) => n.name === EVERY_OTHER_REGION) ? []
          : regions.filter((r) => !regionNames.some((n) => n.name === r) && !meant.has(r));
        const one = missing.length === 1;
        return [...unknown.map((n): RuleFinding => ({
          path: n.path,
          message: `${n.name} is not a region of this fleet (its regions: ${regions.join(', ')})`,
          suggestion: didYouMean(n.name, regions) ?? `add ${n.name} to regions, or remove it here`,
        })), ...(missing.length === 0 ? [] : [{
          path: ['rollout', 'waves'],
          message: `${missing.join(', ')} ${one ? 'is' : 'are'} in no wave, so no release would ever reach ${one ? 'it' : 'them'}`,
          suggestion: `add ${one ? 'it' : 'them'} to a wave, or end the waves with ["${EVERY_OTHER_REGION}"]`,
        }])];
      },
    );
  },
};
