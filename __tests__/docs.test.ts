import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetDocsPage, FleetDocsError } from '../cli/fleet-docs';
import { loadFleets } from '../loader/load-fleets';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';

/** The rows of the Markdown table that follows `heading`, as arrays of cell texts. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.slice(markdown.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\) \| /).map((c) => c.trim()));
  }
  return rows;
}

function mermaidOf(markdown: string): string[] {
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!block) throw new Error('no mermaid block');
  return block[1].split('\n').map((l) => l.trim());
}

describe('amifleet docs fleets (the bundled example)', () => {
  let printed: ReturnType<typeof amifleet>;
  let written: ReturnType<typeof amifleet>;
  let out: string;
  beforeAll(() => {
    out = join(workdir(), 'docs');
    printed = amifleet(['docs', join(ROOT, 'fleets')]);
    written = amifleet(['docs', join(ROOT, 'fleets'), '--out', out]);
  });

  it('prints a page that says what the fleet is', () => {
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    expect(printed.stdout).toContain('\n# Fleet `web`\n\nPublic web tier\n');
    expect(printed.stdout).toContain('The golden image is the newest image named `al2023-ami-2023.*-x86_64` (x86_64) owned by amazon, read in us-east-1.');
  });

  it('draws the source image, a copy per region and the launch template that uses it', () => {
    const diagram = mermaidOf(printed.stdout);
    expect(diagram[0]).toBe('flowchart LR');
    expect(diagram).toContain('source["newest al2023-ami-2023.*-x86_64<br/>us-east-1"]');
    for (const [region, node, type] of [['us-east-1', 'us_east_1', 't3.micro'], ['eu-west-1', 'eu_west_1', 'm7i.large'], ['ap-southeast-2', 'ap_southeast_2', 't3.micro']]) {
      expect(diagram).toContain(`subgraph region_${node}["${region}"]`);
      expect(diagram).toContain(`copy_${node}["image copy<br/>encrypted, deprecated after 365 days"]`);
      expect(diagram).toContain(`template_${node}["launch template web<br/>${type}"]`);
      expect(diagram).toContain(`source --> copy_${node}`);
      expect(diagram).toContain(`copy_${node} --> template_${node}`);
    }
    expect(diagram.filter((l) => l.startsWith('subgraph '))).toHaveLength(3);
  });

  it('lists every region: copy, key, instance type, launch template, publish targets', () => {
    expect(tableAfter(printed.stdout, '## Regions')).toEqual([
      ['ap-southeast-2', 'encrypted, deprecated after 365 days', 'default EBS key of the account', 't3.micro', 'web (security groups: sg-0123456789abcdef0)', '—'],
      ['eu-west-1', 'encrypted, deprecated after 365 days', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab', 'm7i.large', 'web (security groups: default of the subnet)', '—'],
      ['us-east-1', 'encrypted, deprecated after 365 days', 'default EBS key of the account', 't3.micro', 'web (security groups: default of the subnet)', '—'],
    ]);
  });

  it('lists the stacks and the outputs each one has, as synth makes them', () => {
    const outputs = 'image_copy_ids, image_id, image_ids, launch_template_id, launch_template_ids, launch_template_latest_version, launch_template_latest_versions, rollout_wave, rollout_waves, source_image_ids';
    expect(tableAfter(printed.stdout, '## Outputs')).toEqual([
      ['`web-ap-southeast-2`', 'ap-southeast-2', outputs],
      ['`web-eu-west-1`', 'eu-west-1', outputs],
      ['`web-us-east-1`', 'us-east-1', outputs],
    ]);
    expect(printed.stdout).toContain('User data: templates/user-data/service.sh.hbs, rendered per region.\n');
  });

  it('with --out, writes <fleet>.md (the same page) and nothing else', () => {
    expect(written).toMatchObject({ code: 0, stdout: `wrote 1 page into ${out}\n`, stderr: '' });
    expect(readdirSync(out)).toEqual(['web.md']);
    expect(readFileSync(join(out, 'web.md'), 'utf8')).toBe(printed.stdout);
  });
});

describe('amifleet docs: errors', () => {
  it('an invalid fleet: exit 1, nothing written', () => {
    const dir = workdir({ 'fleets/web.yaml': 'fleet: Web\n' });
    const r = amifleet(['docs', join(dir, 'fleets'), '--out', join(dir, 'docs')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\d+ errors? in 1 file; nothing written\n$/);
    expect(existsSync(join(dir, 'docs'))).toBe(false);
  });

  it('a broken docs template of the project: exit 1 with its position, no stack trace, nothing written', () => {
    const dir = workdir({ 'fleets/web.yaml': VALID_YAML, 'templates/docs/fleet.md.hbs': '# {{fleet}}\n{{owner}}\n' });
    const r = amifleet(['docs', join(dir, 'fleets'), '--out', join(dir, 'docs')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fleets\/web\.yaml: docs template: .*templates\/docs\/fleet\.md\.hbs:2:3: owner is not defined\namifleet: nothing written\n$/);
    expect(existsSync(join(dir, 'docs'))).toBe(false);
  });
});

describe('fleetDocsPage', () => {
  const fleetYaml = `fleet: api
source:
  region: us-east-1
  lookup:
    owners: ["111122223333"]
    name: 'golden "v2" <x86>'
regions:
  us-east-1: {}
  eu-west-1: {}
copy:
  shareWith: { accounts: ["444455556666"] }
launchTemplate:
  instanceType: t3.micro
publish:
  ssmParameter: /amifleet/api/ami-id
layout: single
`;
  let page: string;
  beforeAll(() => {
    const loaded = loadFleets([join(workdir({ 'fleets/api.yaml': fleetYaml }), 'fleets')]);
    page = fleetDocsPage(loaded.fleets[0]);
  });

  it('shows where each copy is published and with whom it is shared', () => {
    expect(tableAfter(page, '## Regions').map((r) => [r[0], r[5]])).toEqual([
      ['eu-west-1', 'SSM parameter /amifleet/api/ami-id; shared with 444455556666'],
      ['us-east-1', 'SSM parameter /amifleet/api/ami-id; shared with 444455556666'],
    ]);
    const diagram = mermaidOf(page);
    expect(diagram).toContain('publish_eu_west_1(["SSM /amifleet/api/ami-id"])');
    expect(diagram).toContain('copy_eu_west_1 --> publish_eu_west_1');
  });

  it('writes quotes and angle brackets in diagram labels as Mermaid entities', () => {
    expect(mermaidOf(page)).toContain('source["newest golden #34;v2#34; #60;x86#62;<br/>us-east-1"]');
  });

  it('lists one stack for a single layout, with output maps', () => {
    expect(tableAfter(page, '## Outputs')).toEqual([
      ['`api`', 'eu-west-1, us-east-1', 'image_copy_ids, image_ids, launch_template_ids, launch_template_latest_versions, rollout_waves, source_image_ids, ssm_parameter_names'],
    ]);
  });

  it('uses the project\'s own templates/docs/fleet.md.hbs when there is one', () => {
    const dir = workdir({ 'fleets/api.yaml': fleetYaml, 'templates/docs/fleet.md.hbs': 'custom page of {{fleet}} ({{regionCount}})\n' });
    expect(fleetDocsPage(loadFleets([join(dir, 'fleets')]).fleets[0])).toBe('custom page of api (2 regions)\n');
  });

  it('reports a broken project docs template as a FleetDocsError', () => {
    const dir = workdir({ 'fleets/api.yaml': fleetYaml, 'templates/docs/fleet.md.hbs': '{{#each regions}}{{zone}}{{/each}}' });
    expect(() => fleetDocsPage(loadFleets([join(dir, 'fleets')]).fleets[0])).toThrow(FleetDocsError);
  });
});
