import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';
import { fileTree } from './support/tree';
import { ROLLOUT as ROLLOUT_YAML } from './support/rollout-fixture';

const API_YAML = `fleet: api
source:
  region: eu-central-1
  ssmParameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64
regions:
  eu-central-1: {}
  eu-north-1: { instanceType: c7g.large }
copy:
  shareWith: { accounts: ["444455556666"] }
launchTemplate:
  instanceType: t4g.small
publish:
  ssmParameter: /amifleet/api/ami-id
state: { backend: s3, bucket: acme-terraform-state, region: eu-central-1, keyPrefix: amifleet }
layout: single
`;

describe('synth output is deterministic', () => {
  let first: ReturnType<typeof fileTree>;
  let second: ReturnType<typeof fileTree>;
  beforeAll(() => {
    const dir = workdir({ 'fleets/web.yaml': readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8'), 'fleets/api.yaml': API_YAML });
    for (const out of ['one', 'two']) expect(amifleet(['synth', join(dir, 'fleets'), '--out', join(dir, out)]).code).toBe(0);
    first = fileTree(join(dir, 'one'));
    second = fileTree(join(dir, 'two'));
  });

  it('the same input gives the same files, byte for byte', () => {
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['manifest.json', 'stacks/api/cdk.tf.json', 'stacks/web-eu-west-1/cdk.tf.json']));
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const [name, file] of Object.entries(first)) expect(second[name].bytes.equals(file.bytes)).toBe(true);
  });

  it('holds no absolute paths of the machine it ran on', () => {
    for (const file of Object.values(first)) expect(file.bytes.toString('utf8')).not.toContain(ROOT);
  });
});

describe('synth output is atomic', () => {
  it('a failing synth leaves an earlier output exactly as it was, and no temporary directory', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML, 'bad.yaml': VALID_YAML.replace('t3.micro', 't3.micor') });
    const out = join(dir, 'out');
    expect(amifleet(['synth', join(dir, 'web.yaml'), '--out', out]).code).toBe(0);
    const before = fileTree(out);
    const r = amifleet(['synth', join(dir, 'web.yaml'), join(dir, 'bad.yaml'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing written');
    expect(fileTree(out)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'out', 'web.yaml']);
  });

  it('gives the output directory the usual permissions, not a temporary directory\'s', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML });
    expect(amifleet(['synth', join(dir, 'web.yaml'), '--out', join(dir, 'out')]).code).toBe(0);
    expect(statSync(join(dir, 'out')).mode & 0o777).toBe(0o777 & ~process.umask());
  });
});

describe('synth --out refuses to replace what is not an output directory', () => {
  it.each([
    ['a file', (dir: string) => join(dir, 'notes.txt'), 'is a file, not an output directory'],
    ['the directory holding the fleet files', (dir: string) => join(dir, 'fleets'), 'fleets/web.yaml, an input of this run'],
    ['an ancestor of the working directory', (dir: string) => dir, 'holds the working directory'],
    ['a folder of other files', (dir: string) => join(dir, 'docs'), 'holds files amifleet did not write (guide.md)'],
    ['a path under a file', (dir: string) => join(dir, 'notes.txt', 'out'), 'cannot create a directory in'],
  ])('%s: exit 2, a message, nothing touched', (_, outOf, message) => {
    const dir = workdir({ 'fleets/web.yaml': VALID_YAML, 'notes.txt': 'keep me', 'docs/guide.md': 'mine', 'work/.keep': '' });
    const before = fileTree(dir);
    const r = amifleet(['synth', join(dir, 'fleets'), '--out', outOf(dir)], join(dir, 'work'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fileTree(dir)).toEqual(before);
    expect(existsSync(join(dir, 'fleets', 'web.yaml'))).toBe(true);
  });
});

describe('module --out and docs --out never destroy what amifleet did not write', () => {
  const project = () => workdir({ 'fleets/web.yaml': VALID_YAML, 'templates/user-data/x.sh.hbs': 'echo', 'notes/todo.md': 'mine', 'work/.keep': '' });

  it.each([
    ['the fleet folder', 'fleets', 'fleets/web.yaml, an input of this run'],
    ['templates/', 'templates', 'holds files amifleet did not write (user-data)'],
    ['a folder of other files', 'notes', 'holds files amifleet did not write (todo.md)'],
    ['a file', 'notes/todo.md', 'is a file, not an output directory'],
    ['the working directory', '.', 'is the working directory'],
    ['/', '/', 'holds the working directory'],
  ])('module --out %s: exit 2, one line, nothing touched', (_, out, message) => {
    const dir = project();
    const before = fileTree(dir);
    const r = amifleet(['module', 'fleets/web.yaml', '--out', out], dir);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`amifleet module: --out ${out}: ${r.stderr.slice(`amifleet module: --out ${out}: `.length)}`);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fileTree(dir)).toEqual(before);
  });

  it('module --out an earlier module output replaces its files and keeps the rest', () => {
    const dir = project();
    expect(amifleet(['module', 'fleets/web.yaml', '--out', 'modules/web'], dir).code).toBe(0);
    writeFileSync(join(dir, 'modules', 'web', '.terraform.lock.hcl'), 'lock');
    writeFileSync(join(dir, 'fleets', 'web.yaml'), VALID_YAML.replace('t3.micro', 't3.small'));
    const r = amifleet(['module', 'fleets/web.yaml', '--out', 'modules/web'], dir);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'modules', 'web')).sort())
      .toEqual(['.terraform.lock.hcl', 'README.md', 'main.tf.json', 'outputs.tf.json', 'variables.tf.json', 'versions.tf.json']);
    expect(readFileSync(join(dir, 'modules', 'web', 'variables.tf.json'), 'utf8')).toContain('t3.small');
  });

  it('module --out a module written before the marker existed, holding only module files, is an earlier output', () => {
    const dir = project();
    const files = ['main.tf.json', 'variables.tf.json', 'outputs.tf.json', 'versions.tf.json', 'README.md'];
    for (const f of files) writeFileSync(join(dir, 'work', f), '{}');
    expect(amifleet(['module', 'fleets/web.yaml', '--out', 'work'], dir).code).toBe(2);
    rmSync(join(dir, 'work', '.keep'));
    expect(amifleet(['module', 'fleets/web.yaml', '--out', 'work'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'work', 'main.tf.json'), 'utf8')).toContain('aws_ami_copy');
  });

  it.each([
    ['a file', 'notes/todo.md', 'cannot write notes/todo.md/web.md: a part of the path is a file'],
    ['a directory in the page\'s place', 'pages', 'cannot write pages/web.md: it is a directory'],
  ])('docs --out %s: exit 2, one line, no stack trace', (_, out, message) => {
    const dir = project();
    mkdirSync(join(dir, 'pages', 'web.md'), { recursive: true });
    const r = amifleet(['docs', 'fleets', '--out', out], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`amifleet docs: --out ${out}: ${message}; nothing written\n`);
  });

  it('docs --out a folder under /proc (where Node\'s recursive mkdir never returns): exit 2, one line', () => {
    const r = amifleet(['docs', 'fleets', '--out', '/proc/self/amifleet-docs'], project());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('amifleet docs: --out /proc/self/amifleet-docs: cannot write /proc/self/amifleet-docs/web.md: no such file or directory; nothing written\n');
  });

  it.each(['synth', 'module'])('%s --out a folder under /proc: exit 2, one line', (command) => {
    const r = amifleet([command, command === 'synth' ? 'fleets' : 'fleets/web.yaml', '--out', '/proc/self/amifleet/out'], project());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`amifleet${command === 'synth' ? '' : ' module'}: --out /proc/self/amifleet/out: cannot create a directory in /proc/self/amifleet: no such file or directory; nothing written\n`);
  });

  it('docs --out creates missing folders', () => {
    const dir = project();
    expect(amifleet(['docs', 'fleets', '--out', 'site/fleets'], dir).code).toBe(0);
    expect(readdirSync(join(dir, 'site', 'fleets'))).toEqual(['web.md']);
  });

  it('docs --out writes its pages into a folder of other files and touches nothing else', () => {
    const dir = project();
    const before = fileTree(join(dir, 'notes'));
    expect(amifleet(['docs', 'fleets', '--out', 'notes'], dir).code).toBe(0);
    const after = fileTree(join(dir, 'notes'));
    expect(Object.keys(after).sort()).toEqual(['todo.md', 'web.md']);
    expect(after['todo.md']).toEqual(before['todo.md']);
  });
});

describe('the manifest says in which rollout wave each stack applies', () => {
  interface Manifest {
    stacks: Record<string, { dependencies: string[] }>;
    amifleet: { stacks: Record<string, { fleet: string; file: string; wave?: number; waves?: number[] }> };
  }
  const manifestOf = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  let dir: string;
  let manifest: Manifest;
  beforeAll(() => {
    dir = workdir({ 'fleets/shop.yaml': ROLLOUT_YAML, 'fleets/api.yaml': API_YAML, 'fleets/sales.yaml': `${ROLLOUT_YAML.replace('fleet: shop', 'fleet: sales')}layout: single\n` });
    expect(amifleet(['synth', 'fleets'], dir).code).toBe(0);
    manifest = manifestOf(join(dir, 'cdktf.out'));
  });

  it('a per-region stack: its region\'s wave', () => {
    expect(manifest.amifleet.stacks).toMatchObject({
      'shop-us-east-1': { fleet: 'shop', file: 'fleets/shop.yaml', wave: 1 },
      'shop-eu-west-1': { wave: 2 },
      'shop-eu-central-1': { wave: 2 },
      'shop-ap-southeast-2': { wave: 3 },
    });
  });

  it('a single-layout stack: every wave it holds, and no wave of its own', () => {
    expect(manifest.amifleet.stacks.sales).toEqual({ fleet: 'sales', file: 'fleets/sales.yaml', waves: [1, 2, 3] });
    expect(manifest.amifleet.stacks.api).toEqual({ fleet: 'api', file: 'fleets/api.yaml', waves: [1] });
  });

  it('a fleet without rollout is one wave', () => {
    const plainDir = workdir({ 'fleets/web.yaml': VALID_YAML });
    expect(amifleet(['synth', 'fleets'], plainDir).code).toBe(0);
    const plain = manifestOf(join(plainDir, 'cdktf.out'));
    expect(plain.amifleet.stacks).toEqual({
      'web-eu-west-1': { fleet: 'web', file: 'fleets/web.yaml', wave: 1 },
      'web-us-east-1': { fleet: 'web', file: 'fleets/web.yaml', wave: 1 },
    });
    expect(Object.values(plain.stacks).map((s) => s.dependencies)).toEqual([[], []]);
  });

  it('each stack of a wave depends on every stack of the wave before (cdktf deploy\'s order); a single stack on none', () => {
    const dependencies = Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies]));
    expect(dependencies).toMatchObject({
      'shop-us-east-1': [],
      'shop-eu-central-1': ['shop-us-east-1'],
      'shop-eu-west-1': ['shop-us-east-1'],
      'shop-ap-southeast-2': ['shop-eu-central-1', 'shop-eu-west-1'],
      sales: [],
      api: [],
    });
  });

  it('a "*" wave left empty (every region named before it) holds no stack and makes no dependency', () => {
    const d = workdir({ 'fleets/shop.yaml': ROLLOUT_YAML.replace('    - ["*"]\n', '    - [ap-southeast-2]\n    - ["*"]\n') });
    const r = amifleet(['synth', 'fleets'], d);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const m = manifestOf(join(d, 'cdktf.out'));
    expect(Object.values(m.amifleet.stacks).map((s) => s.wave).sort()).toEqual([1, 2, 2, 3]);
    expect(m.stacks['shop-ap-southeast-2'].dependencies).toEqual(['shop-eu-central-1', 'shop-eu-west-1']);
  });

  it('an earlier manifest without waves (amifleet before rollouts) still reads: other fleets\' entries stay as they were', () => {
    const d = workdir({ 'fleets/shop.yaml': ROLLOUT_YAML, 'fleets/web.yaml': VALID_YAML });
    expect(amifleet(['synth', 'fleets'], d).code).toBe(0);
    const path = join(d, 'cdktf.out', 'manifest.json');
    const older = JSON.parse(readFileSync(path, 'utf8'));
    for (const entry of Object.values(older.amifleet.stacks) as Record<string, unknown>[]) delete entry.wave;
    writeFileSync(path, JSON.stringify(older, null, 2));
    const r = amifleet(['synth', 'fleets/shop.yaml'], d);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const after = manifestOf(join(d, 'cdktf.out'));
    expect(after.amifleet.stacks['web-us-east-1']).toEqual({ fleet: 'web', file: 'fleets/web.yaml' });
    expect(after.amifleet.stacks['shop-ap-southeast-2']).toEqual({ fleet: 'shop', file: 'fleets/shop.yaml', wave: 3 });
    expect(Object.keys(after.stacks).sort()).toEqual(['shop-ap-southeast-2', 'shop-eu-central-1', 'shop-eu-west-1', 'shop-us-east-1', 'web-eu-west-1', 'web-us-east-1']);
  });
});
