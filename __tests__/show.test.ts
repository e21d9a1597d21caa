import { join } from 'node:path';
import { amifleet, ROOT, VALID_YAML, workdir, type CliRun } from './support/cli';
import { ROLLOUT as ROLLOUT_YAML } from './support/rollout-fixture';

const API_YAML = `fleet: api
source:
  region: us-east-1
  ssmParameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
regions:
  us-east-1: {}
copy:
  encrypted: false
  shareWith: { accounts: ["444455556666"] }
launchTemplate:
  instanceType: t3.micro
  securityGroupIds: [sg-00000000, sg-11111111]
publish:
  ssmParameter: /amifleet/api/ami-id
state: { backend: s3, bucket: acme-state, region: us-east-1, keyPrefix: amifleet/ }
layout: single
suppress:
  unencrypted-copy: a public demo image with nothing secret on it
`;

const HEADER = ['REGION', 'WAVE', 'STACK', 'IMAGE SOURCE', 'LAUNCHES', 'COPY', 'KEY', 'INSTANCE TYPE', 'SECURITY GROUPS', 'PUBLISH'];

/** The table rows of a fleet's overview, split into columns at runs of two or more spaces. */
function rows(stdout: string, fleet: string): string[][] {
  const block = stdout.split('\n\n').find((_, i, all) => all[i - 1]?.startsWith(`fleet ${fleet} `)) as string;
  return block.trimEnd().split('\n').map((l) => l.split(/ {2,}/));
}

describe('amifleet show', () => {
  let run: CliRun;
  beforeAll(() => {
    const dir = workdir({ 'api.yaml': API_YAML });
    run = amifleet(['show', join(ROOT, 'fleets', 'web.yaml'), join(dir, 'api.yaml')]);
  });

  it('exits 0 and prints one overview per fleet', () => {
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^fleet web \(.*fleets\/web\.yaml\): per-region layout, 3 stacks, local state\n/);
    expect(run.stdout).toContain('fleet api (');
    expect(run.stdout).toContain('single layout, 1 stack, state in s3://acme-state/amifleet (us-east-1)');
  });

  it('says where the image comes from, how copies are made and who they are shared with', () => {
    expect(run.stdout).toContain('  source: the most recent image in us-east-1 with owners amazon, name al2023-ami-2023.*-x86_64, architecture x86_64, virtualization-type=hvm\n');
    expect(run.stdout).toContain('  copies: encrypted, deprecated 365 days after creation, 90 minute timeout; shared with no one\n');
    expect(run.stdout).toContain('  copies: unencrypted, never deprecated; shared with 444455556666\n');
  });

  it('has a row per region, sorted in their one wave: stack, image source and what it launches, copy, key, instance type, security groups, publishing', () => {
    expect(rows(run.stdout, 'web')).toEqual([
      HEADER,
      ['ap-southeast-2', '1', 'web-ap-southeast-2', 'lookup (us-east-1)', 'newest at plan', 'encrypted', 'default EBS key', 't3.micro', 'sg-0123456789abcdef0', '-'],
      ['eu-west-1', '1', 'web-eu-west-1', 'lookup (us-east-1)', 'newest at plan', 'encrypted', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab', 'm7i.large', 'VPC default', '-'],
      ['us-east-1', '1', 'web-us-east-1', 'lookup (us-east-1)', 'newest at plan', 'encrypted', 'default EBS key', 't3.micro', 'VPC default', '-'],
    ]);
    expect(rows(run.stdout, 'api')).toEqual([
      HEADER,
      ['us-east-1', '1', 'api', 'ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 (us-east-1)', 'newest at plan', 'unencrypted', '-', 't3.micro', 'sg-00000000,sg-11111111', 'ssm:/amifleet/api/ami-id'],
    ]);
  });

  it('says nothing of kept images or a rollout for a fleet that has neither', () => {
    expect(run.stdout).not.toContain('kept images:');
    expect(run.stdout).not.toContain('rollout:');
  });

  it('aligns every column', () => {
    const table = run.stdout.split('\n\n')[1].trimEnd().split('\n');
    const starts = (line: string) => [...line.matchAll(/(?<= {2})\S/g)].map((m) => m.index);
    for (const line of table) expect(starts(line)).toEqual(starts(table[0]));
  });

  it('is deterministic', () => {
    const again = amifleet(['show', join(ROOT, 'fleets', 'web.yaml')]);
    expect(run.stdout.startsWith(again.stdout)).toBe(true);
  });

  it('exits 1 with positioned errors for an invalid fleet, and shows nothing', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML.replace('eu-west-1', 'eu-wst-1') });
    const r = amifleet(['show', join(dir, 'web.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${join(dir, 'web.yaml')}:7:3: regions.eu-wst-1: unknown region "eu-wst-1" (did you mean eu-west-1?)`);
  });
});

describe('amifleet show: a rollout in progress', () => {
  /** REGION, WAVE, STACK and LAUNCHES of each row, in the order shown. */
  const waveColumns = (stdout: string) => rows(stdout, 'shop').slice(1).map((r) => [r[0], r[1], r[2], r[4]]);
  const showWith = (promoted: string, extra = '') => {
    const dir = workdir({ 'shop.yaml': ROLLOUT_YAML.replace('promoted: 1', promoted) + extra });
    return amifleet(['show', join(dir, 'shop.yaml')]);
  };
  let run: CliRun;
  beforeAll(() => {
    run = showWith('promoted: 1');
  });

  it('lists the regions in wave order, each with its wave and the image its launch template launches', () => {
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(rows(run.stdout, 'shop')[0]).toEqual(HEADER);
    expect(waveColumns(run.stdout)).toEqual([
      ['us-east-1', '1', 'shop-us-east-1', 'ami-0aaaaaaaaaaaaaaaa (promoted)'],
      ['eu-west-1', '2', 'shop-eu-west-1', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
      ['eu-central-1', '2', 'shop-eu-central-1', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
      ['ap-southeast-2', '3', 'shop-ap-southeast-2', 'ami-0bbbbbbbbbbbbbbbb (previous)'],
    ]);
  });

  it('says which images every region keeps a copy of, and where the rollout stands', () => {
    expect(run.stdout).toContain('\n  kept images: ami-0aaaaaaaaaaaaaaaa (source.ami), ami-0bbbbbbbbbbbbbbbb (previous[0]); a copy of each in every region\n');
    expect(run.stdout).toContain('\n  rollout: 3 waves, 1 promoted: wave 1 launches ami-0aaaaaaaaaaaaaaaa, waves 2-3 launch ami-0bbbbbbbbbbbbbbbb (previous)\n');
  });

  it('follows promoted: two waves promoted, every wave, none (rolled back)', () => {
    const two = showWith('promoted: 2');
    expect(two.stdout).toContain('  rollout: 3 waves, 2 promoted: waves 1-2 launch ami-0aaaaaaaaaaaaaaaa, wave 3 launches ami-0bbbbbbbbbbbbbbbb (previous)\n');
    expect(waveColumns(two.stdout).map((r) => r[3])).toEqual(['ami-0aaaaaaaaaaaaaaaa (promoted)', 'ami-0aaaaaaaaaaaaaaaa (promoted)', 'ami-0aaaaaaaaaaaaaaaa (promoted)', 'ami-0bbbbbbbbbbbbbbbb (previous)']);
    const all = showWith('promoted: 3');
    expect(all.stdout).toContain('  rollout: 3 waves, all promoted: every region launches ami-0aaaaaaaaaaaaaaaa\n');
    const none = showWith('promoted: 0');
    expect(none.stdout).toContain('  rollout: 3 waves, none promoted (rolled back): every region launches ami-0bbbbbbbbbbbbbbbb (previous)\n');
    expect(new Set(waveColumns(none.stdout).map((r) => r[3]))).toEqual(new Set(['ami-0bbbbbbbbbbbbbbbb (previous)']));
  });

  it('a region that adopts an image launches that image, not a copy', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML.replace('  eu-west-1: {}', '  eu-west-1: { adopt: { image: ami-0fedcba9876543210 } }') });
    const r = amifleet(['show', join(dir, 'web.yaml')]);
    expect(rows(r.stdout, 'web').slice(1).map((row) => [row[0], row[4]])).toEqual([
      ['eu-west-1', 'ami-0fedcba9876543210 (adopted)'],
      ['us-east-1', 'ami-0123456789abcdef0 (promoted)'],
    ]);
  });

  it('a single layout: one stack on every row, each region still in its own wave', () => {
    const single = showWith('promoted: 1', 'layout: single\n');
    expect(single.stdout).toContain('single layout, 1 stack');
    expect(waveColumns(single.stdout).map((r) => [r[1], r[2]])).toEqual([['1', 'shop'], ['2', 'shop'], ['2', 'shop'], ['3', 'shop']]);
  });
});
