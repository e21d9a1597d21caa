import { independentParts, type FleetRule, type RuleFinding } from './fleet-rule';

const MAX_LEVELS = 15;

export const ssmParameterNameInvalid: FleetRule = {
  id: 'ssm-parameter-name-invalid',
  severity: 'error',
  doc: 'The SSM parameter amifleet publishes to does not start with aws or ssm (reserved) and is at most 15 levels deep.',
  dataSource: 'SSM PutParameter API reference (Name naming constraints)',
  check(fleet) {
    const name = fleet.publish?.ssmParameter;
    if (name === undefined) return [];
    const path = ['publish', 'ssmParameter'];
    const first = name.replace(/^\//, '');
    const levels = name.split('/').filter((s) => s !== '').length;
    return independentParts(
      (): RuleFinding[] => (/^(aws|ssm)/i.test(first)
        ? [{ path, message: `parameter names starting with "${first.slice(0, 3)}" are reserved for AWS`, suggestion: `e.g. /amifleet/${fleet.fleet}/ami-id` }] : []),
      (): RuleFinding[] => (levels > MAX_LEVELS ? [{ path, message: `is ${levels} levels deep; SSM allows at most ${MAX_LEVELS}` }] : []),
    );
  },
};
