import type { FleetRule, RuleFinding } from './fleet-rule';

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
    const out: RuleFinding[] = [];
    const first = name.replace(/^\//, '');
    if (/^(aws|ssm)/i.test(first)) {
      out.push({ path, message: `parameter names starting with "${first.slice(0, 3)}" are reserved for AWS`, suggestion: `e.g. /amifleet/${fleet.fleet}/ami-id` });
    }
    const levels = name.split('/').filter((s) => s !== '').length;
    if (levels > MAX_LEVELS) out.push({ path, message: `is ${levels} levels deep; SSM allows at most ${MAX_LEVELS}` });
    return out;
  },
};
