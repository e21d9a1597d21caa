import type { FleetFile } from '../../loader/load-fleets';
import { fleetStackNames } from '../../modules/fleet/fleet-names';

/** What synthesizing needs of a loaded fleet file: plain data, so it can go to a worker thread. */
export type FleetToSynthesize = Pick<FleetFile, 'file' | 'fleet' | 'userDataTemplate'>;

export interface FleetBatch {
  /** Position of the batch in the run; outputs are put back in this order. */
  readonly index: number;
  readonly fleets: readonly FleetToSynthesize[];
  readonly stacks: number;
}

/** Consecutive fleets, at most `maxStacks` stacks per batch unless one fleet alone has more. */
export function fleetBatches(fleets: readonly FleetToSynthesize[], maxStacks: number): FleetBatch[] {
  const batches: FleetBatch[] = [];
  let current: FleetToSynthesize[] = [];
  let stacks = 0;
  for (const f of fleets) {
    const n = Object.keys(fleetStackNames(f.fleet)).length;
    if (current.length > 0 && stacks + n > maxStacks) {
      batches.push({ index: batches.length, fleets: current, stacks });
      current = [];
      stacks = 0;
    }
    current.push(f);
    stacks += n;
  }
  if (current.length > 0) batches.push({ index: batches.length, fleets: current, stacks });
  return batches;
}
