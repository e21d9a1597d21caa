import type { FleetRule } from './fleet-rule';

export const unpinnedSourceAcrossStacks: FleetRule = {
  id: 'unpinned-source-across-stacks',
  severity: 'warning',
  doc: 'A lookup or SSM parameter source in a fleet of several per-region stacks: each stack resolves "newest" at its own plan.',
  dataSource: 'Terraform data sources (aws_ami, aws_ssm_parameter) are read at each plan, and each per-region stack plans on its own',
  check(fleet) {
    const field = fleet.source.lookup !== undefined ? 'lookup' : fleet.source.ssmParameter !== undefined ? 'ssmParameter' : undefined;
    if (field === undefined || fleet.layout !== 'per-region') return [];
    const resolving = Object.keys(fleet.regions).filter((r) => fleet.regions[r].adopt?.image === undefined);
    if (resolving.length < 2) return [];
    return [{
      path: ['source', field],
      message: `each of the ${resolving.length} region stacks resolves the newest image at its own plan, so an image published between `
        + 'two plans puts regions on different images, one of them untested anywhere else',
      suggestion: 'pin it with amifleet release <file> --ami <id>, or use layout: single, whose one stack resolves it once',
    }];
  },
};
