import { join } from 'node:path';
import { amifleet, ROOT, VALID_YAML, workdir, type CliRun } from './support/cli';

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

  it('has a row per region, sorted: stack, image source, copy, key, instance type, security groups, publishing', () => {
    expect(rows(run.stdout, 'web')).toEqual([
      ['REGION', 'STACK', 'IMAGE SOURCE', 'COPY', 'KEY', 'INSTANCE TYPE', 'SECURITY GROUPS', 'PUBLISH'],
      ['ap-southeast-2', 'web-ap-southeast-2', 'lookup (us-east-1)', 'encrypted', 'default EBS key', 't3.micro', 'sg-0123456789abcdef0', '-'],
      ['eu-west-1', 'web-eu-west-1', 'lookup (us-east-1)', 'encrypted', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab', 'm7i.large', 'VPC default', '-'],
      ['us-east-1', 'web-us-east-1', 'lookup (us-east-1)', 'encrypted', 'default EBS key', 't3.micro', 'VPC default', '-'],
    ]);
    expect(rows(run.stdout, 'api')).toEqual([
      ['REGION', 'STACK', 'IMAGE SOURCE', 'COPY', 'KEY', 'INSTANCE TYPE', 'SECURITY GROUPS', 'PUBLISH'],
      ['us-east-1', 'api', 'ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 (us-east-1)', 'unencrypted', '-', 't3.micro', 'sg-00000000,sg-11111111', 'ssm:/amifleet/api/ami-id'],
    ]);
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
