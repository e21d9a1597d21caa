import type { FleetRule } from './fleet-rule';
import { fleetTagSets } from './fleet-tag-sets';

const MAX_VALUE = 256;

export const tagValueTooLong: FleetRule = {
  id: 'tag-value-too-long',
  severity: 'error',
  doc: 'Tag values are at most 256 characters.',
  dataSource: 'AWS tagging limits (EC2 User Guide, "Tag restrictions")',
  check(fleet) {
    return fleetTagSets(fleet).flatMap(({ path, tags }) => Object.entries(tags)
      .filter(([, value]) => [...value].length > MAX_VALUE)
      .map(([key, value]) => ({
        path: [...path, key], message: `a tag value may be at most ${MAX_VALUE} characters long, not ${[...value].length}`,
      })));
  },
};
