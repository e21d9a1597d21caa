import { fleetStackNames } from '../fleet-names';
import type { FleetRule } from './fleet-rule';

export const unpinnedSourceAcrossStacks: FleetRule = {
  id: 'unpinned-source-across-stacks',
  severity: 'warning',
  doc: 'A lookup or SSM parameter source in a fleet of several stacks (regions, accounts): each stack resolves "newest" at its own plan.',
  dataSource: 'Terraform data sources (aws_ami, aws_ssm_parameter) are read at each plan, and each stack plans on its own',
  acrossAccounts: true,
  check(fleet) {
    const field = fleet.source.lookup !== undefined ? 'lookup' : fleet.source.ssmParameter !== undefined ? 'ssmParameter' : undefined;
    if (field === undefined) return [];
    const copies = (account: string | undefined, region: string) =>
      (account === undefined ? fleet.regions : fleet.accounts[account].regions)[region].adopt?.image === undefined;
    const resolving = Object.values(fleetStackNames(fleet))
      .filter((place) => place.kind === 'regions' && place.regions.some((r) => copies(place.account, r)));
    if (resolving.length < 2) return [];
    const single = fleet.layout === 'single';
    return [{
      path: ['source', field],
      message: `each of the ${resolving.length} ${single ? 'account' : 'region'} stacks resolves the newest image at its own plan, so an image published between `
        + 'two plans puts regions on different images, one of them untested anywhere else',
      suggestion: single ? 'pin it with amifleet release <file> --ami <id>'
        : 'pin it with amifleet release <file> --ami <id>, or use layout: single, whose one stack resolves it once',
    }];
  },
};
