// Which rollout waves each stack of a fleet holds, and so the order in which stacks apply.
import type { Fleet } from './fleet-spec';
import { fleetStackNames } from './fleet-names';
import { fleetRollout } from './rollout';

/**
 * The waves each stack of a fleet holds, ascending: one wave for a per-region stack (its
 * region's), every wave with a region for a `layout: single` stack.
 *
 * @example
 * fleetStackWaves(fleet); // { 'shop-us-east-1': [1], 'shop-eu-west-1': [2], ... }
 */
export function fleetStackWaves(fleet: Pick<Fleet, 'fleet' | 'source' | 'regions' | 'rollout' | 'layout'>): Record<string, number[]> {
  const { regions } = fleetRollout(fleet);
  return Object.fromEntries(Object.entries(fleetStackNames(fleet)).map(([stack, members]) =>
    [stack, [...new Set(members.map((r) => regions[r].wave))].sort((a, b) => a - b)]));
}

/**
 * The stacks each stack must wait for: every stack of the nearest earlier wave that has one
 * (a `*` wave can be empty), so wave k+1 applies only after all of wave k did.
 */
export function fleetStackDependencies(fleet: Pick<Fleet, 'fleet' | 'source' | 'regions' | 'rollout' | 'layout'>): Record<string, string[]> {
  const waves = fleetStackWaves(fleet);
  const firstWave = (stack: string) => waves[stack][0];
  const stacksOfWave = new Map<number, string[]>();
  for (const stack of Object.keys(waves)) stacksOfWave.set(firstWave(stack), [...(stacksOfWave.get(firstWave(stack)) ?? []), stack]);
  const order = [...stacksOfWave.keys()].sort((a, b) => a - b);
  return Object.fromEntries(Object.keys(waves).map((stack) => {
    const earlier = order[order.indexOf(firstWave(stack)) - 1];
    return [stack, earlier === undefined ? [] : stacksOfWave.get(earlier) as string[]];
  }));
}
