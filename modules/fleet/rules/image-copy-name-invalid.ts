import { imageCopyName, LONGEST_IMAGE_ID } from '../fleet-names';
import { fleetRollout } from '../rollout';
import type { FleetRule } from './fleet-rule';

const ALLOWED = /^[A-Za-z0-9()[\] ./'@_-]{3,128}$/;

export const imageCopyNameInvalid: FleetRule = {
  id: 'image-copy-name-invalid',
  severity: 'error',
  doc: 'The image copies\' names, <fleet>-<source image id>-<8 hex digits>, are valid AMI names: 3 to 128 letters, digits and ()[] ./\'@_- .',
  dataSource: 'EC2 CopyImage API reference (Name constraints)',
  check(fleet) {
    // A lookup or SSM source is resolved at apply time: check the longest id EC2 can give.
    const images = fleet.source.ami !== undefined ? fleetRollout(fleet).keptImages : [LONGEST_IMAGE_ID];
    const copied = Object.entries(fleet.regions).filter(([, r]) => r.adopt?.image === undefined);
    for (const [, settings] of copied) {
      for (const image of images) {
        const name = imageCopyName(fleet.fleet, image, { sourceRegion: fleet.source.region, encrypted: fleet.copy.encrypted, kmsKeyId: settings.kmsKeyId });
        if (ALLOWED.test(name)) continue;
        return [{
          path: ['fleet'],
          message: `names the image copies "${name}" (${name.length} characters), which is not a valid AMI name: 3 to 128 letters, digits and ()[] ./'@_-`,
        }];
      }
    }
    return [];
  },
};
