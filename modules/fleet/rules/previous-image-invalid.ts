import { independentParts, type FleetRule, type RuleFinding } from './fleet-rule';

export const previousImageInvalid: FleetRule = {
  id: 'previous-image-invalid',
  severity: 'error',
  doc: 'source.previous follows a pinned source.ami and does not repeat it: each kept image is an older release.',
  dataSource: 'amifleet rollout contract (PRODUCT.md, v2: source.previous needs a pinned source.ami)',
  check(fleet) {
    const previous = fleet.source.previous;
    if (previous.length === 0) return [];
    return independentParts(
      () => {
        if (fleet.source.ami !== undefined) return [];
        const kind = fleet.source.lookup !== undefined ? 'a lookup' : 'an SSM parameter';
        return [{
          path: ['source', 'previous'],
          message: `older images are kept beside a pinned source.ami, but the source is ${kind}, which resolves the newest image at each plan`,
          suggestion: 'pin it with amifleet release <file> --ami <id>',
        }];
      },
      () => {
        const ami = fleet.source.ami;
        return previous.flatMap((id, i): RuleFinding[] => (id === ami ? [{
          path: ['source', 'previous', i],
          message: `${id} is source.ami, the release itself, not an older one`,
          suggestion: 'remove it from previous',
        }] : []));
      },
    );
  },
};
