// Which rollout waves each stack of a fleet holds, and so the order in which stacks apply.
import type { Fleet } from './fleet-spec';
import { fleetStackNames } from './fleet-names';
import { fleetRollout } from './rollout';

/** What the waves of a fleet's stacks are read from. */
export type WaveFleet = Pick<Fleet, 'fleet' | 'source' | 'regions' | 'rollout' | 'layout'> & Partial<Pick<Fleet, 'accounts'>>;

/** The wave of a fleet's share stack: before every rollout wave, since each account's copies need the shared source. */
export const SHARE_STACK_WAVE = 0;

/**
 * The waves each stack of a fleet holds, ascending: one wave for a per-region stack (its
 * region's), every wave with a region for a `layout: single` stack, and `SHARE_STACK_WAVE` for
 * the share stack. An account's regions take their waves from the same `rollout.waves` (a
 * wave names regions in every account; `*` is each account's regions no earlier wave names).
 *
 * @example
 * fleetStackWaves(fleet); // { 'shop-us-east-1': [1], 'shop-eu-west-1': [2], 'shop-prod-us-east-1': [1], 'shop-share': [0] }
 */
export function fleetStackWaves(fleet: WaveFleet): Record<string, number[]> {
  const rollouts = new Map<string | undefined, ReturnType<typeof fleetRollout>>();
  const rolloutOf = (account: string | undefined) => {
    const regions = account === undefined ? fleet.regions : fleet.accounts![account].regions;
    if (!rollouts.has(account)) rollouts.set(account, fleetRollout({ ...fleet, regions }));
    return rollouts.get(account)!;
  };
  return Object.fromEntries(Object.entries(fleetStackNames(fleet)).map(([stack, place]) => {
    if (place.kind === 'share') return [stack, [SHARE_STACK_WAVE]];
    const { regions } = rolloutOf(place.account);
    return [stack, [...new Set(place.regions.map((r) => regions[r].wave))].sort((a, b) => a - b)];
  }));
}

/**
 * The stacks each stack must wait for: every stack of the nearest earlier wave that has one
 * (a `*` wave can be empty), so wave k+1 applies only after all of wave k did, in every account;
 * and an account's stacks wait for the share stack, which grants them the source image.
 */
export function fleetStackDependencies(fleet: WaveFleet): Record<string, string[]> {
  const waves = fleetStackWaves(fleet);
  const places = fleetStackNames(fleet);
  const share = Object.keys(places).find((s) => places[s].kind === 'share');
  const rolloutStacks = Object.keys(waves).filter((s) => s !== share);
  const firstWave = (stack: string) => waves[stack][0];
  const stacksOfWave = new Map<number, string[]>();
  for (const stack of rolloutStacks) stacksOfWave.set(firstWave(stack), [...(stacksOfWave.get(firstWave(stack)) ?? []), stack]);
  const order = [...stacksOfWave.keys()].sort((a, b) => a - b);
  return Object.fromEntries(Object.keys(waves).map((stack) => {
    if (stack === share) return [stack, []];
    const earlier = order[order.indexOf(firstWave(stack)) - 1];
    const place = places[stack];
    const needsShare = share !== undefined && place.kind === 'regions' && place.account !== undefined;
    return [stack, [...(needsShare ? [share] : []), ...(earlier === undefined ? [] : stacksOfWave.get(earlier) as string[])]];
  }));
}
