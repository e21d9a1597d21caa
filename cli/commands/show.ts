import type { Command } from 'commander';
import type { Fleet } from '../../modules/fleet/fleet-spec';
import { fleetStackNames } from '../../modules/fleet/fleet-names';
import { fleetRollout, type FleetRollout } from '../../modules/fleet/rollout';
import { fleetRegionNames } from '../../modules/fleet/fleet-accounts';
import { accountRegions, accountText, hasAccounts, type AccountRegion } from '../account-regions';
import { shareStackText } from '../share-stack-text';
import type { FleetFile } from '../../loader/load-fleets';
import { loadOrExit } from '../exit';
import { alignedColumns } from '../aligned-columns';
import { launchedImageText } from '../launched-image';

export function registerShow(program: Command): void {
  program.command('show')
    .description('show what each fleet creates in each account and region, in rollout order: wave, image source and the image it launches, copy and key, instance type, security groups, publishing')
    .argument('<paths...>', 'fleet files or directories of them')
    .action((paths: string[]) => {
      const loaded = loadOrExit(paths, 'nothing to show');
      process.stdout.write(loaded.fleets.map(fleetOverview).join('\n'));
    });
}

/** A fleet at a glance: a few lines about the whole fleet, then one row per account and region, in wave order. */
export function fleetOverview({ file, fleet }: FleetFile): string {
  const stacks = Object.keys(fleetStackNames(fleet));
  // Every account's regions take their waves from the same rollout.waves: read over all of them.
  const rollout = fleetRollout({ ...fleet, regions: Object.fromEntries(fleetRegionNames(fleet).map((r) => [r, {}])) });
  const withAccounts = hasAccounts(fleet);
  const shares = fleet.copy.shareWith;
  const sharedWith = shares ? [...shares.accounts, ...shares.organizationArns, ...shares.organizationalUnitArns] : [];
  const share = withAccounts ? shareStackText(fleet) : undefined;
  const lines = [
    `fleet ${fleet.fleet} (${file}): ${fleet.layout} layout, ${stacks.length} stack${stacks.length === 1 ? '' : 's'}, ${stateText(fleet.state)}`,
    `  source: ${sourceText(fleet.source)}`,
    `  copies: ${copyText(fleet.copy)}; shared with ${sharedWith.length > 0 ? sharedWith.join(', ') : 'no one'}${withAccounts && sharedWith.length > 0 ? " (the copies in the credentials' own account; each account owns its copies)" : ''}`,
    ...(withAccounts ? [`  accounts: ${Object.keys(fleet.accounts).sort().map((name) => `${name} ${fleet.accounts[name].id} (role ${fleet.accounts[name].roleArn})`).join(', ')}`] : []),
    ...(share !== undefined ? [`  share: ${share}`] : []),
    ...(fleet.source.previous.length > 0 ? [`  kept images: ${keptText(fleet, rollout)}`] : []),
    ...(fleet.rollout !== undefined || fleet.source.previous.length > 0 ? [`  rollout: ${rolloutText(rollout)}`] : []),
  ];
  const header = [...(withAccounts ? ['ACCOUNT'] : []), 'REGION', 'WAVE', 'STACK', 'IMAGE SOURCE', 'LAUNCHES', 'COPY', 'KEY', 'INSTANCE TYPE', 'SECURITY GROUPS', 'PUBLISH'];
  const rows = accountRegions(fleet).map((row) => [...(withAccounts ? [accountText(row.view)] : []), ...regionRow(row)]);
  return `${lines.join('\n')}\n\n${alignedColumns([header, ...rows])}`;
}

function regionRow({ view, rollout, region, wave, stack }: AccountRegion): string[] {
  const { fleet } = view;
  const settings = fleet.regions[region];
  const groups = settings.securityGroupIds ?? fleet.launchTemplate.securityGroupIds;
  return [
    region,
    String(wave),
    stack,
    `${sourceKind(fleet.source)} (${fleet.source.region})`,
    launchedImageText(fleet, rollout, region) ?? 'newest at plan',
    fleet.copy.encrypted ? 'encrypted' : 'unencrypted',
    !fleet.copy.encrypted ? '-' : settings.kmsKeyId ?? 'default EBS key',
    settings.instanceType ?? fleet.launchTemplate.instanceType,
    groups.length > 0 ? groups.join(',') : 'VPC default',
    fleet.publish?.ssmParameter ? `ssm:${fleet.publish.ssmParameter}` : '-',
  ];
}

function keptText(fleet: Fleet, { keptImages }: FleetRollout): string {
  const role = (id: string) => (id === fleet.source.ami ? 'source.ami' : `previous[${fleet.source.previous.indexOf(id)}]`);
  return `${keptImages.map((id) => `${id} (${role(id)})`).join(', ')}; a copy of each in every region`;
}

function rolloutText({ waves, promoted, regions }: FleetRollout): string {
  const imageOf = (isPromoted: boolean) => Object.values(regions).find((r) => r.promoted === isPromoted)?.sourceImage
    ?? (isPromoted ? 'the newest image at plan' : 'no image (source.previous is empty)');
  const count = `${waves.length} wave${waves.length === 1 ? '' : 's'}`;
  const span = (from: number, to: number) => (from === to ? `wave ${from} launches` : `waves ${from}-${to} launch`);
  if (promoted === waves.length) return `${count}, all promoted: every region launches ${imageOf(true)}`;
  if (promoted === 0) return `${count}, none promoted (rolled back): every region launches ${imageOf(false)} (previous)`;
  return `${count}, ${promoted} promoted: ${span(1, promoted)} ${imageOf(true)}, ${span(promoted + 1, waves.length)} ${imageOf(false)} (previous)`;
}

function sourceKind(source: Fleet['source']): string {
  if (source.ami !== undefined) return source.ami;
  if (source.lookup !== undefined) return 'lookup';
  return `ssm:${source.ssmParameter}`;
}

function sourceText(source: Fleet['source']): string {
  if (source.ami !== undefined) return `image ${source.ami} in ${source.region}`;
  if (source.ssmParameter !== undefined) return `the image id in SSM parameter ${source.ssmParameter}, read in ${source.region}`;
  const lookup = source.lookup as NonNullable<Fleet['source']['lookup']>;
  const filters = [
    `owners ${lookup.owners.join(',')}`,
    ...(lookup.name !== undefined ? [`name ${lookup.name}`] : []),
    ...(lookup.architecture !== undefined ? [`architecture ${lookup.architecture}`] : []),
    ...Object.keys(lookup.filters ?? {}).sort().map((k) => `${k}=${(lookup.filters as Record<string, string[]>)[k].join(',')}`),
    ...(lookup.includeDeprecated ? ['deprecated images included'] : []),
  ];
  return `the most recent image in ${source.region} with ${filters.join(', ')}`;
}

function copyText(copy: Fleet['copy']): string {
  return [
    copy.encrypted ? 'encrypted' : 'unencrypted',
    copy.deprecateAfterDays !== undefined ? `deprecated ${copy.deprecateAfterDays} days after creation` : 'never deprecated',
    ...(copy.timeoutMinutes !== undefined ? [`${copy.timeoutMinutes} minute timeout`] : []),
  ].join(', ');
}

function stateText(state: Fleet['state']): string {
  switch (state.backend) {
    case 'local': return 'local state';
    case 's3': return `state in s3://${state.bucket}${state.keyPrefix ? `/${state.keyPrefix.replace(/^\/+|\/+$/g, '')}` : ''} (${state.region})`;
    case 'cloud': return `state in HCP Terraform organization ${state.organization}`;
  }
}
