import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceDirectory } from '../cli/output-dir';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';
import { fileTree } from './support/tree';

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

  it('a write that fails half-way leaves the target as it was and removes its temporary directory', () => {
    const dir = workdir({ 'out/manifest.json': '{"old":true}' });
    const before = fileTree(join(dir, 'out'));
    expect(() => replaceDirectory(join(dir, 'out'), (temp) => {
      writeFileSync(join(temp, 'manifest.json'), '{"half":true}');
      throw new Error('synth failed');
    })).toThrow('synth failed');
    expect(fileTree(join(dir, 'out'))).toEqual(before);
    expect(readdirSync(dir)).toEqual(['out']);
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
    ['the directory holding the fleet files', (dir: string) => join(dir, 'fleets'), 'which replacing it would delete'],
    ['an ancestor of the working directory', (dir: string) => dir, 'which replacing it would delete'],
    ['a path under a file', (dir: string) => join(dir, 'notes.txt', 'out'), 'cannot create a directory in'],
  ])('%s: exit 2, a message, nothing touched', (_, outOf, message) => {
    const dir = workdir({ 'fleets/web.yaml': VALID_YAML, 'notes.txt': 'keep me' });
    const before = fileTree(dir);
    const r = amifleet(['synth', join(dir, 'fleets'), '--out', outOf(dir)], join(dir, 'fleets'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fileTree(dir)).toEqual(before);
    expect(existsSync(join(dir, 'fleets', 'web.yaml'))).toBe(true);
  });
});
