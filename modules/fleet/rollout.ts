import { EVERY_OTHER_REGION, type Fleet } from './fleet-spec';

// Which image each region launches, from `source.ami`, `source.previous` and `rollout`: the one
// reading of the rollout contract that the constructs, `show`, `docs` and release/promote/rollback share.

/** Where one region stands in a fleet's rollout. */
export interface RegionRollout {
  /** The region's wave, from 1. */
  readonly wave: number;
  /** Whether its wave is promoted: it launches `source.ami`, else `source.previous[0]`. */
  readonly promoted: boolean;
  /**
   * The source image its launch template starts (a copy of it): a pinned id, or undefined for a
   * lookup or SSM parameter source (resolved at plan). (A region that adopts an image launches
   * that instead; validation keeps adoption and rollouts apart.)
   */
  readonly sourceImage: string | undefined;
}

/** A fleet's rollout: its waves in order, how many launch `source.ami`, and each region's place. */
export interface FleetRollout {
  /** Regions by wave as the file numbers them, `*` resolved to the regions no other wave names (sorted). */
  readonly waves: readonly (readonly string[])[];
  /** Waves 1..promoted launch `source.ami`. */
  readonly promoted: number;
  /** The source images every region keeps a copy of, newest first: `source.ami` (when pinned) and `source.previous`. */
  readonly keptImages: readonly string[];
  readonly regions: Readonly<Record<string, RegionRollout>>;
}

/**
 * The rollout of a validated fleet. Without `rollout`, one wave holds every region and it is
 * promoted. A region no wave names (which validation refuses) goes into the last wave.
 *
 * @example
 * fleetRollout(fleet).regions['eu-west-1']; // { wave: 2, promoted: false, sourceImage: 'ami-0bbbbbbbbbbbbbbbb' }
 */
export function fleetRollout(fleet: Pick<Fleet, 'source' | 'regions' | 'rollout'>): FleetRollout {
  const all = Object.keys(fleet.regions).sort();
  const waves = resolveWaves(fleet.rollout?.waves, all);
  const promoted = Math.min(fleet.rollout?.promoted ?? waves.length, waves.length);
  const previous = fleet.source.previous ?? [];
  // Distinct: an id given twice (which validation refuses) is still one copy.
  const keptImages = [...new Set(fleet.source.ami !== undefined ? [fleet.source.ami, ...previous] : previous)];
  const regions: Record<string, RegionRollout> = {};
  waves.forEach((members, index) => {
    const wave = index + 1;
    for (const region of members) {
      const isPromoted = wave <= promoted;
      regions[region] = { wave, promoted: isPromoted, sourceImage: isPromoted ? fleet.source.ami : previous[0] };
    }
  });
  return { waves, promoted, keptImages, regions };
}

function resolveWaves(written: readonly (readonly string[])[] | undefined, all: readonly string[]): string[][] {
  if (written === undefined) return [[...all]];
  const named = new Set(written.flat().filter((r) => r !== EVERY_OTHER_REGION));
  const rest = all.filter((r) => !named.has(r));
  const placed = new Set<string>();
  const waves = written.map((wave) => wave.flatMap((r) => (r === EVERY_OTHER_REGION ? rest : [r]))
    .filter((r) => all.includes(r) && !placed.has(r) && placed.add(r)));
  const unplaced = all.filter((r) => !placed.has(r));
  if (unplaced.length > 0) waves[waves.length - 1].push(...unplaced);
  // Kept even when empty (a "*" with no region left): wave numbers are the file's, which promoted counts.
  return waves;
}
