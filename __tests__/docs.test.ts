import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetDocsPage, FleetDocsError } from '../cli/fleet-docs';
import { loadFleets } from '../loader/load-fleets';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';
import { ROLLOUT as ROLLOUT_YAML } from './support/rollout-fixture';


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

  it('lists every region: wave, what it launches, copy, key, instance type, launch template, publish targets', () => {
    expect(tableAfter(printed.stdout, '## Regions')).toEqual([
      ['ap-southeast-2', '1', 'the newest image at plan', 'encrypted, deprecated after 365 days', 'default EBS key of the account', 't3.micro', 'web (security groups: sg-0123456789abcdef0)', '—'],
      ['eu-west-1', '1', 'the newest image at plan', 'encrypted, deprecated after 365 days', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab', 'm7i.large', 'web (security groups: default of the subnet)', '—'],
      ['us-east-1', '1', 'the newest image at plan', 'encrypted, deprecated after 365 days', 'default EBS key of the account', 't3.micro', 'web (security groups: default of the subnet)', '—'],
    ]);
  });

  it('has no rollout section and draws no wave for a fleet without rollout', () => {
    expect(printed.stdout).not.toContain('## Rollout');
    expect(mermaidOf(printed.stdout).filter((l) => l.startsWith('subgraph wave_') || l.includes('==>'))).toEqual([]);
  });

  it('lists the stacks, their wave and the outputs each one has, as synth makes them', () => {
    const outputs = 'image_copy_ids, image_id, image_ids, launch_template_id, launch_template_ids, launch_template_latest_version, launch_template_latest_versions, rollout_wave, rollout_waves, source_image_ids';
    expect(tableAfter(printed.stdout, '## Outputs')).toEqual([
      ['`web-ap-southeast-2`', 'ap-southeast-2', '1', outputs],
      ['`web-eu-west-1`', 'eu-west-1', '1', outputs],
      ['`web-us-east-1`', 'us-east-1', '1', outputs],
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
    expect(tableAfter(page, '## Regions').map((r) => [r[0], r[7]])).toEqual([
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
      ['`api`', 'eu-west-1, us-east-1', '1', 'image_copy_ids, image_ids, launch_template_ids, launch_template_latest_versions, rollout_waves, source_image_ids, ssm_parameter_names'],
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

describe('fleetDocsPage: a rollout in progress', () => {
  const pageOf = (yaml: string) => fleetDocsPage(loadFleets([join(workdir({ 'fleets/shop.yaml': yaml }), 'fleets')]).fleets[0]);
  let page: string;
  let diagram: string[];
  beforeAll(() => {
    page = pageOf(ROLLOUT_YAML);
    diagram = mermaidOf(page);
  });

  it('draws a subgraph per wave, in order, each holding its regions, the promoted one marked', () => {
    const waves = diagram.filter((l) => l.startsWith('subgraph wave_'));
    expect(waves).toEqual([
      'subgraph wave_1["wave 1 · promoted: launches ami-0aaaaaaaaaaaaaaaa"]',
      'subgraph wave_2["wave 2: launches ami-0bbbbbbbbbbbbbbbb (previous)"]',
      'subgraph wave_3["wave 3: launches ami-0bbbbbbbbbbbbbbbb (previous)"]',
    ]);
    // Each region's subgraph sits between its wave's `subgraph` line and that wave's `end`.
    const waveOfRegion = (node: string) => {
      const at = diagram.indexOf(diagram.find((l) => l.startsWith(`subgraph region_${node}[`)) as string);
      return diagram.slice(0, at).filter((l) => l.startsWith('subgraph wave_')).pop();
    };
    expect(['us_east_1', 'eu_west_1', 'eu_central_1', 'ap_southeast_2'].map((n) => waveOfRegion(n)?.slice(9, 15)))
      .toEqual(['wave_1', 'wave_2', 'wave_2', 'wave_3']);
    expect(diagram.filter((l) => l === 'end')).toHaveLength(4 + 3);
    expect(diagram.filter((l) => l.includes('==>'))).toEqual(['wave_1 ==> wave_2', 'wave_2 ==> wave_3']);
    expect(diagram.filter((l) => l.startsWith('style '))).toEqual(['style wave_1 stroke-width:3px']);
  });

  it('shows in each region the copies of every kept image and the image its launch template launches', () => {
    expect(diagram).toContain('source["ami-0aaaaaaaaaaaaaaaa (release), ami-0bbbbbbbbbbbbbbbb (previous)<br/>us-east-1"]');
    expect(diagram).toContain('copy_eu_west_1["copies of ami-0aaaaaaaaaaaaaaaa, ami-0bbbbbbbbbbbbbbbb<br/>encrypted"]');
    expect(diagram).toContain('template_us_east_1["launch template shop<br/>t3.small<br/>launches ami-0aaaaaaaaaaaaaaaa (promoted)"]');
    expect(diagram).toContain('template_eu_west_1["launch template shop<br/>t3.small<br/>launches ami-0bbbbbbbbbbbbbbbb (previous)"]');
  });

  it('has a rollout section: the waves, what each launches, and the images every region keeps', () => {
    expect(page).toContain('\n## Rollout\n\n3 waves, 1 promoted. ');
    expect(page.replace(/\n/g, ' ')).toContain('Every region keeps a copy of `ami-0aaaaaaaaaaaaaaaa` (source.ami, the release), `ami-0bbbbbbbbbbbbbbbb` (source.previous[0])');
    expect(tableAfter(page, '## Rollout')).toEqual([
      ['1 (promoted)', 'us-east-1', 'ami-0aaaaaaaaaaaaaaaa (promoted)'],
      ['2', 'eu-west-1, eu-central-1', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
      ['3', 'ap-southeast-2', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
    ]);
  });

  it('lists the regions in wave order with their wave and image, and each stack with its wave', () => {
    expect(tableAfter(page, '## Regions').map((r) => r.slice(0, 3))).toEqual([
      ['us-east-1', '1', 'ami-0aaaaaaaaaaaaaaaa (promoted)'],
      ['eu-west-1', '2', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
      ['eu-central-1', '2', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
      ['ap-southeast-2', '3', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
    ]);
    expect(tableAfter(page, '## Outputs').map((r) => [r[0], r[2]])).toEqual([
      ['`shop-ap-southeast-2`', '3'], ['`shop-eu-central-1`', '2'], ['`shop-eu-west-1`', '2'], ['`shop-us-east-1`', '1'],
    ]);
  });

  it('follows promoted: rolled back, no wave is marked and every region launches the previous image', () => {
    const back = pageOf(ROLLOUT_YAML.replace('promoted: 1', 'promoted: 0'));
    expect(back).toContain('\n## Rollout\n\n3 waves, none promoted: rolled back everywhere. ');
    expect(mermaidOf(back).filter((l) => l.startsWith('style '))).toEqual([]);
    expect(new Set(tableAfter(back, '## Regions').map((r) => r[2]))).toEqual(new Set(['ami-0bbbbbbbbbbbbbbbb (previous)']));
  });

  it('a single layout: one stack holding every wave', () => {
    expect(tableAfter(pageOf(`${ROLLOUT_YAML}layout: single\n`), '## Outputs').map((r) => [r[0], r[2]])).toEqual([['`shop`', '1, 2, 3']]);
  });

  it('a region that adopts its image: no copy drawn from the source, and the adopted image launched', () => {
    const adopting = pageOf(VALID_YAML.replace('  eu-west-1: {}', '  eu-west-1: { adopt: { image: ami-0fedcba9876543210 } }'));
    const lines = mermaidOf(adopting);
    expect(lines).not.toContain('source --> copy_eu_west_1');
    expect(lines).toContain('source --> copy_us_east_1');
    expect(tableAfter(adopting, '## Regions').map((r) => [r[0], r[2]])).toEqual([
      ['eu-west-1', 'ami-0fedcba9876543210 (adopted)'], ['us-east-1', 'ami-0123456789abcdef0 (promoted)'],
    ]);
  });
});
