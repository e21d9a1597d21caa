import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput } from 'cdktf';
import { addFleetStacks } from '../modules/constructs/fleet-app';
import type { Fleet } from '../modules/fleet/fleet-spec';
import { fleetRegionNames } from '../modules/fleet/fleet-accounts';
import { fleetStackNames } from '../modules/fleet/fleet-names';
import { fleetRollout, type FleetRollout } from '../modules/fleet/rollout';
import { fleetStackWaves } from '../modules/fleet/stack-waves';
import { accountRegions, accountText, hasAccounts, type AccountRegion } from './account-regions';
import { shareStackText } from './share-stack-text';
import { StrictTemplates, TemplateError } from '../modules/rendering/strict-templates';
import type { FleetFile } from '../loader/load-fleets';
import { displayPath, projectTemplatesDir, readTemplateFile } from '../loader/template-files';
import { launchedImageText } from './launched-image';

/** The template `amifleet docs` renders, under templates/docs/. */
export const FLEET_DOCS_TEMPLATE = 'fleet.md.hbs';

const docsTemplates = new StrictTemplates({
  /** Text for a Markdown table cell: no pipes or line breaks to break the row. */
  cell: (value) => String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' '),
  /** Text for a quoted Mermaid label: quotes, angle brackets and # as Mermaid entity codes. */
  mermaid: (value) => String(value).replace(/[#"<>`]/g, (c) => `#${c.charCodeAt(0)};`),
});

/** The docs template cannot be read or rendered (a project's own templates/docs/ can be wrong). */
export class FleetDocsError extends Error {}

/** One fleet's page: what it is, its regions, a diagram and its outputs, as Markdown. */
export function fleetDocsPage(fleetFile: FleetFile): string {
  const found = readTemplateFile('docs', FLEET_DOCS_TEMPLATE, projectTemplatesDir(fleetFile.file));
  if ('problem' in found) throw new FleetDocsError(`${found.problem}${found.suggestion ? ` (${found.suggestion})` : ''}`);
  try {
    return docsTemplates.render({ name: displayPath(found.file), source: found.source }, fleetDocsModel(fleetFile));
  } catch (e) {
    if (e instanceof TemplateError) throw new FleetDocsError(e.message);
    throw e;
  }
}

/** What the docs template sees: plain text for every table cell and diagram node. */
function fleetDocsModel(fleetFile: FleetFile): Record<string, unknown> {
  const { fleet } = fleetFile;
  const withAccounts = hasAccounts(fleet);
  // Every account's regions take their waves from the same rollout.waves: read over all of them.
  const rollout = fleetRollout({ ...fleet, regions: Object.fromEntries(fleetRegionNames(fleet).map((r) => [r, {}])) });
  const places = fleetStackNames(fleet);
  const share = Object.keys(places).find((s) => places[s].kind === 'share');
  const shared = sharedWith(fleet);
  const rows = accountRegions(fleet);
  const kept = keptImages(fleet, rollout);
  const accountNode = (row: AccountRegion) => (!withAccounts ? '' : row.view.account === undefined ? 'own' : `a_${row.view.account.replace(/[^a-z0-9]/g, '_')}`);
  const region = (row: AccountRegion) => {
    const { view, region: name } = row;
    const settings = view.fleet.regions[name];
    const publish = [
      ...(fleet.publish?.ssmParameter ? [`SSM parameter ${fleet.publish.ssmParameter}`] : []),
      // copy.shareWith shares the copies in the credentials' own account only (see fleetAccountView).
      ...(shared && view.account === undefined ? [`shared with ${shared}`] : []),
    ];
    const launches = launchedImageText(view.fleet, row.rollout, name);
    const regionNode = name.replace(/[^a-z0-9]/g, '_');
    return {
      account: accountText(view),
      accountNode: accountNode(row),
      region: name,
      node: withAccounts ? `${accountNode(row)}_${regionNode}` : regionNode,
      // An entry's copies are made from the source the share stack shared with its account.
      fromShare: share !== undefined && view.account !== undefined,
      wave: row.wave,
      launches: launches ?? 'the newest image at plan',
      launchesImage: launches ?? '',
      adopted: settings.adopt?.image !== undefined,
      copyTitle: settings.adopt?.image !== undefined ? 'no copy (adopted image)'
        : kept.length > 1 ? `copies of ${kept.map((k) => k.id).join(', ')}` : 'image copy',
      copy: [
        fleet.copy.encrypted ? 'encrypted' : 'not encrypted',
        ...(fleet.copy.deprecateAfterDays ? [`deprecated after ${fleet.copy.deprecateAfterDays} days`] : []),
      ].join(', '),
      key: !fleet.copy.encrypted ? '—' : settings.kmsKeyId ?? 'default EBS key of the account',
      instanceType: settings.instanceType ?? fleet.launchTemplate.instanceType,
      launchTemplate: fleet.fleet,
      securityGroups: (settings.securityGroupIds ?? fleet.launchTemplate.securityGroupIds).join(', ') || 'default of the subnet',
      publish: publish.join('; ') || '—',
      ssmParameter: fleet.publish?.ssmParameter ?? '',
      stack: row.stack,
    };
  };
  const regions = rows.map(region);
  const waves = rollout.waves.map((members, i) => ({ number: i + 1, members }))
    .filter((w) => w.members.length > 0)
    .map(({ number, members }, i, all) => {
      const promoted = number <= rollout.promoted;
      const image = rollout.regions[members[0]].sourceImage;
      const inWave = regions.filter((r) => r.wave === number);
      const accounts = [...new Set(inWave.map((r) => r.account))].map((account) => {
        const first = inWave.find((r) => r.account === account) as (typeof regions)[number];
        return { node: `${first.accountNode}_wave_${number}`, label: account, regions: inWave.filter((r) => r.account === account) };
      });
      return {
        number,
        node: `wave_${number}`,
        next: all[i + 1] ? `wave_${all[i + 1].number}` : '',
        promoted,
        label: `wave ${number}${promoted ? ' · promoted' : ''}${image ? `: launches ${image}${promoted ? '' : ' (previous)'}` : ''}`,
        launches: image ? `${image} (${promoted ? 'promoted' : 'previous'})` : 'the newest image at plan',
        regionList: members.join(', '),
        regions: inWave,
        accounts,
      };
    });
  const stackWaves = fleetStackWaves(fleet);
  const outputs = fleetOutputs(fleetFile);
  const accountCount = new Set(rows.map((r) => r.view.account)).size;
  return {
    fleet: fleet.fleet,
    description: fleet.description ?? '',
    file: displayPath(fleetFile.file),
    source: imageSource(fleet),
    layout: fleet.layout === 'single' ? `single: one stack, ${fleet.fleet}, for every region${withAccounts ? ' of an account' : ''}`
      : `per-region: one stack (one Terraform state) per region${withAccounts ? ' of an account' : ''}`,
    userData: fleet.launchTemplate.userData ? `templates/user-data/${fleet.launchTemplate.userData.template}, rendered per region` : '',
    state: stateText(fleet),
    regionCount: `${rows.length} region${rows.length === 1 ? '' : 's'}${withAccounts ? ` in ${accountCount} account${accountCount === 1 ? '' : 's'}` : ''}`,
    hasAccounts: withAccounts,
    share: share !== undefined ? { stack: share, text: shareStackText(fleet) } : false,
    accountsText: withAccounts ? Object.keys(fleet.accounts).sort().map((name) => `\`${name}\` (${fleet.accounts[name].id}, role ${fleet.accounts[name].roleArn})`).join(', ') : '',
    regions,
    // One wave of every region (no rollout) is the whole fleet: drawn without a wave around it.
    drawWaves: fleet.rollout !== undefined || waves.length > 1,
    waves,
    rollout: rolloutText(rollout),
    keptImages: kept.map((k) => `\`${k.id}\` (${k.role})`).join(', '),
    stacks: Object.entries(places).map(([name, place]) => ({
      name,
      account: place.kind === 'regions' && place.account !== undefined ? accountText({ account: place.account, settings: fleet.accounts[place.account] }) : accountText({}),
      regions: [...place.regions],
      waves: stackWaves[name].join(', '),
      outputs: outputs.get(name) ?? '',
    })),
  };
}

/** The images every region keeps a copy of, each with its place in the fleet file. */
function keptImages(fleet: Fleet, { keptImages: ids }: FleetRollout): { id: string; role: string }[] {
  return ids.map((id) => ({ id, role: id === fleet.source.ami ? 'source.ami, the release' : `source.previous[${fleet.source.previous.indexOf(id)}]` }));
}

function rolloutText({ waves, promoted }: FleetRollout): string {
  const count = `${waves.length} wave${waves.length === 1 ? '' : 's'}`;
  if (promoted === waves.length) return `${count}, all promoted`;
  if (promoted === 0) return `${count}, none promoted: rolled back everywhere`;
  return `${count}, ${promoted} promoted`;
}

/** The outputs of each stack by name, read from the constructs themselves so the page never drifts. */
function fleetOutputs(fleetFile: FleetFile): Map<string, string> {
  // A cdktf App creates its output directory when constructed; nothing is synthesized into it.
  const outdir = mkdtempSync(join(tmpdir(), 'amifleet-docs-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    return new Map(addFleetStacks(app, fleetFile.fleet, { userDataTemplate: fleetFile.userDataTemplate }).map((stack) => [
      stack.node.id,
      stack.node.findAll().filter((c): c is TerraformOutput => c instanceof TerraformOutput).map((o) => o.friendlyUniqueId).sort().join(', '),
    ]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function imageSource(fleet: Fleet): { region: string; text: string; label: string } {
  const { source } = fleet;
  if (source.ami !== undefined) {
    const label = source.previous.length > 0 ? `${source.ami} (release), ${source.previous.join(', ')} (previous)` : source.ami;
    return { region: source.region, text: `the pinned image \`${source.ami}\``, label };
  }
  if (source.ssmParameter !== undefined) {
    return { region: source.region, text: `the image id in SSM parameter \`${source.ssmParameter}\``, label: `SSM ${source.ssmParameter}` };
  }
  const lookup = source.lookup as NonNullable<Fleet['source']['lookup']>;
  const name = lookup.name ?? 'any name';
  const owners = lookup.owners.join(', ');
  return {
    region: source.region,
    text: `the newest image named \`${name}\`${lookup.architecture ? ` (${lookup.architecture})` : ''} owned by ${owners}`,
    label: `newest ${name}`,
  };
}

function sharedWith(fleet: Fleet): string {
  const share = fleet.copy.shareWith;
  if (!share) return '';
  return [...share.accounts, ...share.organizationArns, ...share.organizationalUnitArns].join(', ');
}

function stateText(fleet: Fleet): string {
  const { state } = fleet;
  switch (state.backend) {
    case 'local': return 'local state files, terraform.<stack>.tfstate';
    case 's3': return `S3 bucket ${state.bucket} (${state.region}), key ${state.keyPrefix ? `${state.keyPrefix}/` : ''}<stack>.tfstate`;
    case 'cloud': return `HCP Terraform organization ${state.organization}, workspace ${state.workspacePrefix}<stack>`;
  }
}
