import type { VolumeType } from '../fleet-spec';
import type { FleetRule } from './fleet-rule';

/** Volume sizes EBS accepts per volume type, in GiB. */
const SIZE_GIB: Record<VolumeType, readonly [number, number]> = {
  gp2: [1, 16384], gp3: [1, 16384], io1: [4, 16384], io2: [4, 65536], st1: [125, 16384], sc1: [125, 16384], standard: [1, 1024],
};

export const rootVolumeSizeOutOfRange: FleetRule = {
  id: 'root-volume-size-out-of-range',
  severity: 'error',
  doc: 'The root volume size fits its type: gp2/gp3 1-16384 GiB, io1 4-16384, io2 4-65536, st1/sc1 125-16384, standard 1-1024.',
  dataSource: 'Amazon EBS User Guide, "Amazon EBS volume types" (size ranges per type)',
  check(fleet) {
    const volume = fleet.launchTemplate.rootVolume;
    if (volume?.sizeGiB === undefined || volume.type === undefined) return [];
    const [min, max] = SIZE_GIB[volume.type];
    if (volume.sizeGiB >= min && volume.sizeGiB <= max) return [];
    return [{
      path: ['launchTemplate', 'rootVolume', 'sizeGiB'],
      message: `${volume.type} volumes hold ${min} to ${max} GiB, not ${volume.sizeGiB}`,
      suggestion: volume.sizeGiB < min ? `use at least ${min}, or gp3` : `use at most ${max}, or ${volume.type === 'io1' ? 'io2' : 'another type'}`,
    }];
  },
};
