import { imageCopyName, LONGEST_IMAGE_ID } from '../fleet-names';
import type { FleetRule } from './fleet-rule';

const ALLOWED = /^[A-Za-z0-9()[\] ./'@_-]{3,128}$/;

export const imageCopyNameInvalid: FleetRule = {
  id: 'image-copy-name-invalid',
  severity: 'error',
  doc: 'The image copies\' name, <fleet>-<source image id>, is a valid AMI name: 3 to 128 letters, digits and ()[] ./\'@_- .',
  dataSource: 'EC2 CopyImage API reference (Name constraints)',
  check(fleet) {
    // A lookup or SSM source is resolved at apply time: check the longest id EC2 can give.
    const name = imageCopyName(fleet.fleet, fleet.source.ami ?? LONGEST_IMAGE_ID);
    if (ALLOWED.test(name)) return [];
    return [{
      path: ['fleet'],
      message: `names the image copies "${name}" (${name.length} characters), which is not a valid AMI name: 3 to 128 letters, digits and ()[] ./'@_-`,
    }];
  },
};
