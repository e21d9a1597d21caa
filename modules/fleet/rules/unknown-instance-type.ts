import { awsCatalog } from '../aws-catalog';
import { didYouMean } from '../closest-name';
import { eachIndependently, independentParts, type FleetRule, type RuleFinding } from './fleet-rule';

export const unknownInstanceType: FleetRule = {
  id: 'unknown-instance-type',
  severity: 'error',
  doc: 'Every instance type (the launch template\'s and each region\'s override) is one EC2 has.',
  dataSource: 'EC2 API instance type enum (@aws-sdk/client-ec2 _InstanceType), via modules/fleet/aws-catalog.json',
  check(fleet) {
    const known = awsCatalog().instanceTypes;
    const check = (type: string | undefined, path: (string | number)[]): RuleFinding[] => (type === undefined || known.has(type) ? [] : [{
      path, message: `unknown EC2 instance type "${type}"`, suggestion: didYouMean(type, known),
    }]);
    return independentParts(
      () => check(fleet.launchTemplate.instanceType, ['launchTemplate', 'instanceType']),
      () => eachIndependently(Object.entries(fleet.regions), ([r, s]) => check(s.instanceType, ['regions', r, 'instanceType'])),
    );
  },
};
