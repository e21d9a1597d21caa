import { eachIndependently, independentParts, type FleetRule, type RuleFinding } from './fleet-rule';

export const repeatedListItem: FleetRule = {
  id: 'repeated-list-item',
  severity: 'error',
  doc: 'Lists of images, subnets, target groups and alarms name each one once.',
  dataSource: 'EC2 Auto Scaling CreateAutoScalingGroup and StartInstanceRefresh references; amifleet keeps one copy per source image',
  check(fleet) {
    return independentParts(
      () => repeats(fleet.source.previous, ['source', 'previous'], 'image'),
      () => eachIndependently(Object.keys(fleet.regions), (region) => independentParts(
        () => repeats(fleet.regions[region].subnetIds, ['regions', region, 'subnetIds'], 'subnet'),
        () => repeats(fleet.regions[region].targetGroupArns, ['regions', region, 'targetGroupArns'], 'target group'),
      )),
      () => repeats(fleet.autoScaling?.instanceRefresh.alarms, ['autoScaling', 'instanceRefresh', 'alarms'], 'alarm'),
    );
  },
};

/** Each item that an earlier item of the list already names, at its own position. */
function repeats(items: readonly string[] | undefined, path: (string | number)[], what: string): RuleFinding[] {
  return (items ?? []).flatMap((item, i): RuleFinding[] => {
    const first = items!.indexOf(item);
    return first === i ? [] : [{ path: [...path, i], message: `the ${what} ${item} again: it is item ${first + 1} of the list already`, suggestion: 'remove this one' }];
  });
}
