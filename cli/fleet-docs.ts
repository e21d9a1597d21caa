import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput } from 'cdktf';
import { addFleetStacks } from '../modules/fleet-app';
import type { Fleet } from '../modules/fleet-spec';
import { StrictTemplates, TemplateError } from '../modules/strict-templates';
import type { FleetFile } from '../loader/load-fleets';
import { displayPath, projectTemplatesDir, readTemplateFile } from '../loader/template-files';

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
  const stacks = fleetOutputs(fleetFile);
  const stackOf = (region: string) => stacks.find((s) => s.regions.includes(region))?.name ?? '';
  const shared = sharedWith(fleet);
  const regionCount = Object.keys(fleet.regions).length;
  return {
    fleet: fleet.fleet,
    description: fleet.description ?? '',
    file: displayPath(fleetFile.file),
    source: imageSource(fleet),
    layout: fleet.layout === 'single' ? `single: one stack, ${fleet.fleet}, for every region`
      : 'per-region: one stack (one Terraform state) per region',
    userData: fleet.launchTemplate.userData ? `templates/user-data/${fleet.launchTemplate.userData.template}, rendered per region` : '',
    state: stateText(fleet),
    regionCount: `${regionCount} region${regionCount === 1 ? '' : 's'}`,
    regions: Object.keys(fleet.regions).sort().map((region) => {
      const settings = fleet.regions[region];
      const publish = [
        ...(fleet.publish?.ssmParameter ? [`SSM parameter ${fleet.publish.ssmParameter}`] : []),
        ...(shared ? [`shared with ${shared}`] : []),
      ];
      return {
        region,
        node: region.replace(/[^a-z0-9]/g, '_'),
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
        stack: stackOf(region),
      };
    }),
    stacks,
  };
}

/** Stack names, regions and outputs, read from the constructs themselves so the page never drifts. */
function fleetOutputs(fleetFile: FleetFile): { name: string; regions: string[]; outputs: string }[] {
  // A cdktf App creates its output directory when constructed; nothing is synthesized into it.
  const outdir = mkdtempSync(join(tmpdir(), 'amifleet-docs-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    return addFleetStacks(app, fleetFile.fleet, { userDataTemplate: fleetFile.userDataTemplate }).map((stack) => ({
      name: stack.node.id,
      regions: Object.keys(stack.regions).sort(),
      outputs: stack.node.findAll().filter((c): c is TerraformOutput => c instanceof TerraformOutput)
        .map((o) => o.friendlyUniqueId).sort().join(', '),
    }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function imageSource(fleet: Fleet): { region: string; text: string; label: string } {
  const { source } = fleet;
  if (source.ami !== undefined) {
    return { region: source.region, text: `the pinned image \`${source.ami}\``, label: source.ami };
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
