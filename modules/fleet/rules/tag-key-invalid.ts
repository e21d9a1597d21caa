import type { FleetRule } from './fleet-rule';
import { eachTagSet } from './fleet-tag-sets';

const MAX_KEY = 128;

export const tagKeyInvalid: FleetRule = {
  id: 'tag-key-invalid',
  severity: 'error',
  doc: 'Tag keys are 1 to 128 characters and do not start with aws: (reserved for AWS).',
  dataSource: 'AWS tagging limits (EC2 User Guide, "Tag restrictions")',
  check(fleet) {
    return eachTagSet(fleet, ({ path, tags }) => Object.keys(tags).flatMap((key) => {
      const problem = key.length === 0 ? 'a tag key may not be empty'
        : [...key].length > MAX_KEY ? `a tag key may be at most ${MAX_KEY} characters long, not ${[...key].length}`
          : /^aws:/i.test(key) ? 'tag keys starting with aws: are reserved for AWS' : undefined;
      return problem ? [{ path: [...path, key], atKey: true, message: problem }] : [];
    }));
  },
};
