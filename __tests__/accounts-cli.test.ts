import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amifleet, ROOT, workdir, type CliRun } from './support/cli';

// show, docs, module and the rollout steps on the factory fleet: a self-owned source
// image shared with two accounts, each with two regions in two waves.

const FACTORY_FILE = join(ROOT, '__tests__', 'fixtures', 'accounts', 'factory.yaml');
const FACTORY = readFileSync(FACTORY_FILE, 'utf8');
const A = 'ami-0aaaaaaaaaaaaaaaa';
const B = 'ami-0bbbbbbbbbbbbbbbb';
const C = 'ami-0cccccccccccccccc';
const PROD = 'prod (444455556666)';
const STAGING = 'staging (777788889999)';
const PROD_KEY_US = 'arn:aws:kms:us-east-1:444455556666:key/2234abcd-12ab-4cd5-9ef6-1234567890ab';
const PROD_KEY_EU = 'arn:aws:kms:eu-west-1:444455556666:key/3234abcd-12ab-4cd5-9ef6-1234567890ab';

/** The factory fleet with regions of the credentials' own account too, whose copies are shared with another account. */
const WITH_OWN_REGIONS = FACTORY.replace('\naccounts:\n', `
regions:
  us-east-1: { subnetIds: [subnet-0a1b2c3d4e5f60718] }
copy:
  shareWith: { accounts: ["123456789012"] }

accounts:
`);

/** The factory fleet on a public Amazon Linux image: nothing to share, so no share stack. */
const PUBLIC_SOURCE = FACTORY
  .replace(/ {2}ami: ami-0a.*\n {2}previous: .*\n/, '  ssmParameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\n')
  .replace(/\nrollout:\n(?: {2}.*\n)+/, '\n');

/** The rows of the table after the overview lines, split into columns at runs of two or more spaces. */
function tableOf(stdout: string): string[][] {
  const block = stdout.split('\n\n')[1];
  return block.trimEnd().split('\n').map((l) => l.trimEnd().split(/ {2,}/));
}

/** The table a rollout step prints between its first line and `next:`. */
function stepTable(stdout: string): string[][] {
  return stdout.split('\n\n')[1].split('\n').filter((l) => l.trim() !== '' && !l.startsWith('next:')).map((l) => l.trimEnd().split(/ {2,}/));
}

function mermaidOf(markdown: string): string[] {
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!block) throw new Error('no mermaid block');
  return block[1].split('\n').map((l) => l.trim());
}

/** The rows of the Markdown table that follows `heading`, header row included. */
function markdownTable(markdown: string, heading: string): string[][] {
  const lines = markdown.slice(markdown.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\) \| /).map((c) => c.trim()));
  }
  return [rows[0], ...rows.slice(2)];
}

describe('amifleet show: a fleet with accounts', () => {
  let run: CliRun;
  beforeAll(() => {
    run = amifleet(['show', FACTORY_FILE]);
  });

  it('counts the share stack and the four account stacks, and names each account with its role', () => {
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^fleet shop \(.*factory\.yaml\): per-region layout, 5 stacks, local state\n/);
    expect(run.stdout).toContain('\n  accounts: prod 444455556666 (role arn:aws:iam::444455556666:role/amifleet-deploy), staging 777788889999 (role arn:aws:iam::777788889999:role/amifleet-deploy)\n');
  });

  it('says what the share stack grants to whom, and that it comes first', () => {
    expect(run.stdout).toContain(`\n  share: shop-share (wave 0, the credentials' own account, us-east-1) grants ${PROD}, ${STAGING} launch permission on ${A}, ${B}, create-volume permission on their snapshots, and a KMS grant to each account's role on a customer managed key that encrypts them\n`);
  });

  it('has a row per account and region, wave by wave: account, stack, what it launches and its own key', () => {
    expect(tableOf(run.stdout).map((r) => [r[0], r[1], r[2], r[3], r[5], r[7]])).toEqual([
      ['ACCOUNT', 'REGION', 'WAVE', 'STACK', 'LAUNCHES', 'KEY'],
      [PROD, 'us-east-1', '1', 'shop-prod-us-east-1', `${A} (promoted)`, PROD_KEY_US],
      [STAGING, 'us-east-1', '1', 'shop-staging-us-east-1', `${A} (promoted)`, 'default EBS key'],
      [PROD, 'eu-west-1', '2', 'shop-prod-eu-west-1', `${B} (previous)`, PROD_KEY_EU],
      [STAGING, 'eu-west-1', '2', 'shop-staging-eu-west-1', `${B} (previous)`, 'default EBS key'],
    ]);
    expect(run.stdout).toContain(`\n  rollout: 2 waves, 1 promoted: wave 1 launches ${A}, wave 2 launches ${B} (previous)\n`);
  });

  it("puts the credentials' own regions first in their wave, and says copy.shareWith shares only their copies", () => {
    const dir = workdir({ 'shop.yaml': WITH_OWN_REGIONS });
    const r = amifleet(['show', join(dir, 'shop.yaml')]);
    expect(r.code).toBe(0);
    expect(tableOf(r.stdout).slice(1, 4).map((row) => [row[0], row[1], row[3]])).toEqual([
      ['(own)', 'us-east-1', 'shop-us-east-1'], [PROD, 'us-east-1', 'shop-prod-us-east-1'], [STAGING, 'us-east-1', 'shop-staging-us-east-1'],
    ]);
    expect(r.stdout).toContain("; shared with 123456789012 (the copies in the credentials' own account; each account owns its copies)\n");
  });

  it('a public source: no share stack, and says why', () => {
    const dir = workdir({ 'shop.yaml': PUBLIC_SOURCE });
    const r = amifleet(['show', join(dir, 'shop.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('per-region layout, 4 stacks,');
    expect(r.stdout).toContain(`\n  share: no share stack: the source is not the credentials' own (public, or shared by its owner), so ${PROD}, ${STAGING} read it directly; their stacks check at plan that they can\n`);
  });

  it('a fleet without accounts has no ACCOUNT column', () => {
    const r = amifleet(['show', join(ROOT, 'fleets', 'web.yaml')]);
    expect(tableOf(r.stdout)[0][0]).toBe('REGION');
    expect(r.stdout).not.toContain('  share:');
  });
});

describe('amifleet docs: a fleet with accounts', () => {
  let page: string;
  let diagram: string[];
  beforeAll(() => {
    const r = amifleet(['docs', FACTORY_FILE]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    page = r.stdout;
    diagram = mermaidOf(page);
  });

  it('lists every account and region, wave by wave', () => {
    expect(markdownTable(page, '## Regions').map((r) => r.slice(0, 4).concat(r[5]))).toEqual([
      ['Account', 'Region', 'Wave', 'Launches', 'Key'],
      [PROD, 'us-east-1', '1', `${A} (promoted)`, PROD_KEY_US],
      [STAGING, 'us-east-1', '1', `${A} (promoted)`, 'default EBS key of the account'],
      [PROD, 'eu-west-1', '2', `${B} (previous)`, PROD_KEY_EU],
      [STAGING, 'eu-west-1', '2', `${B} (previous)`, 'default EBS key of the account'],
    ]);
    expect(page).toContain('amifleet copies it into\n4 regions in 2 accounts,');
  });

  it('draws an account subgraph inside each wave, holding its regions', () => {
    const opened = diagram.filter((l) => l.startsWith('subgraph '));
    expect(opened).toEqual([
      `subgraph wave_1["wave 1 · promoted: launches ${A}"]`,
      `subgraph a_prod_wave_1["${PROD}"]`, 'subgraph region_a_prod_us_east_1["us-east-1"]',
      `subgraph a_staging_wave_1["${STAGING}"]`, 'subgraph region_a_staging_us_east_1["us-east-1"]',
      `subgraph wave_2["wave 2: launches ${B} (previous)"]`,
      `subgraph a_prod_wave_2["${PROD}"]`, 'subgraph region_a_prod_eu_west_1["eu-west-1"]',
      `subgraph a_staging_wave_2["${STAGING}"]`, 'subgraph region_a_staging_eu_west_1["eu-west-1"]',
    ]);
    expect(diagram.filter((l) => l === 'end')).toHaveLength(opened.length);
  });

  it('draws the share stack between the source and every account copy', () => {
    expect(diagram).toContain('share[["share stack shop-share<br/>launch + create-volume permission, KMS grants"]]');
    expect(diagram).toContain('source --> share');
    for (const node of ['a_prod_us_east_1', 'a_staging_us_east_1', 'a_prod_eu_west_1', 'a_staging_eu_west_1']) {
      expect(diagram).toContain(`share --> copy_${node}`);
      expect(diagram).not.toContain(`source --> copy_${node}`);
    }
  });

  it('lists every stack with its account and wave, the share stack in wave 0', () => {
    expect(markdownTable(page, '## Outputs').map((r) => r.slice(0, 4))).toEqual([
      ['Stack', 'Account', 'Regions', 'Wave'],
      ['`shop-prod-eu-west-1`', PROD, 'eu-west-1', '2'],
      ['`shop-prod-us-east-1`', PROD, 'us-east-1', '1'],
      ['`shop-staging-eu-west-1`', STAGING, 'eu-west-1', '2'],
      ['`shop-staging-us-east-1`', STAGING, 'us-east-1', '1'],
      ['`shop-share`', '(own)', 'us-east-1', '0'],
    ]);
  });
});

describe('amifleet module: a fleet with accounts', () => {
  it('exits 1 at the accounts key, says why and what to do instead, and writes nothing', () => {
    const out = join(workdir(), 'module');
    const r = amifleet(['module', FACTORY_FILE, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const line = FACTORY.split('\n').indexOf('accounts:') + 1;
    expect(r.stderr).toContain(`${FACTORY_FILE}:${line}:1: accounts: a module cannot hold accounts: it is one state under its caller's providers`);
    expect(r.stderr).toContain('configuration_aliases');
    expect(r.stderr).toContain('(use amifleet synth: it writes the share stack and a stack per account and region, in waves;');
    expect(r.stderr).toMatch(/amifleet module: 1 error; nothing written\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('release, promote and rollback: a fleet with accounts', () => {
  const step = (...args: string[]) => {
    const file = join(workdir({ 'shop.yaml': FACTORY }), 'shop.yaml');
    return { file, run: amifleet([args[0], file, ...args.slice(1)]) };
  };

  it('promote: a row per account and region, and wave 2 of every account to apply next', () => {
    const { run } = step('promote');
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(stepTable(run.stdout)).toEqual([
      ['ACCOUNT', 'REGION', 'WAVE', 'BEFORE', 'AFTER'],
      [PROD, 'us-east-1', '1', A, A],
      [STAGING, 'us-east-1', '1', A, A],
      [PROD, 'eu-west-1', '2', B, A, '<- changes'],
      [STAGING, 'eu-west-1', '2', B, A, '<- changes'],
    ]);
    expect(run.stdout).toContain(`next: synth, then plan and apply wave 2's stacks (shop-prod-eu-west-1, shop-staging-eu-west-1); then every wave launches ${A}\n`);
  });

  it('release: the share stack first (it shares the new image), then wave 1 of every account', () => {
    const { file, run } = step('release', '--ami', C);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(stepTable(run.stdout).slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
      [PROD, 'us-east-1', C], [STAGING, 'us-east-1', C], [PROD, 'eu-west-1', A], [STAGING, 'eu-west-1', A],
    ]);
    expect(run.stdout).toContain(`next: synth, then plan and apply every stack, the share stack first (shop-share), then wave 1 (shop-prod-us-east-1, shop-staging-us-east-1): every region copies ${C}, wave 1 launches it; then amifleet promote ${file}\n`);
  });

  it("rollback: wave 1's stacks in every account go back to the previous image", () => {
    const { run } = step('rollback');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`next: synth, then plan and apply wave 1's stacks (shop-prod-us-east-1, shop-staging-us-east-1): they go back to ${B};`);
  });
});
