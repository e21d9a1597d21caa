import { eachIndependently, type FleetRule, type RuleFinding } from './fleet-rule';
import { eachTagSet } from './fleet-tag-sets';

const MAX_VALUE = 256;

export const tagValueTooLong: FleetRule = {
  id: 'tag-value-too-long',
  severity: 'error',
  doc: 'Tag values are at most 256 characters.',
  dataSource: 'AWS tagging limits (EC2 User Guide, "Tag restrictions")',
  check(fleet) {
    return eachTagSet(fleet, ({ path, tags }) => eachIndependently(Object.keys(tags), (key): RuleFinding[] => {
      const length = [...tags[key]].length;
      return length > MAX_VALUE ? [{ path: [...path, key], message: `a tag value may be at most ${MAX_VALUE} characters long, not ${length}` }] : [];
    }));
  },
};
