import { eachIndependently, independentParts, type FleetRule, type RuleFinding } from './fleet-rule';
import { declaredArchitecture, instanceArchitecture } from './instance-architecture';

export const instanceTypeArchitectureMismatch: FleetRule = {
  id: 'instance-type-architecture-mismatch',
  severity: 'error',
  doc: 'Every instance type can run the source image\'s architecture (no c7g, arm64, for an x86_64 image): such a fleet never launches.',
  dataSource: 'EC2 instance type naming convention (processor letter g = AWS Graviton); the plan-time guard checks with EC2 itself',
  check(fleet) {
    const image = declaredArchitecture(fleet);
    if (!image) return [];
    const check = (instanceType: string, path: (string | number)[]): RuleFinding[] => {
      const runs = instanceArchitecture(instanceType);
      if (runs === undefined || runs === image.architecture) return [];
      return [{
        path,
        message: `${instanceType} runs ${runs}, but the source image is ${image.architecture} (${image.from})`,
        suggestion: image.architecture === 'arm64'
          ? 'choose a Graviton type (e.g. m7g, c7g, t4g)' : 'choose an x86_64 type (e.g. m7i, c7i, t3)',
      }];
    };
    return independentParts(
      () => (Object.values(fleet.regions).some((s) => s.instanceType === undefined)
        ? check(fleet.launchTemplate.instanceType, ['launchTemplate', 'instanceType']) : []),
      () => eachIndependently(Object.entries(fleet.regions), ([region, s]) =>
        (s.instanceType === undefined ? [] : check(s.instanceType, ['regions', region, 'instanceType']))),
    );
  },
};
