import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileTree } from './support/tree';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';
import { instanceUserData } from './support/user-data';

describe('amifleet synth (the README\'s main command on the bundled example)', () => {
  let dir: string;
  let run: ReturnType<typeof amifleet>;
  beforeAll(() => {
    dir = workdir();
    run = amifleet(['synth', join(ROOT, 'fleets'), '--out', join(dir, 'cdktf.out')]);
  });

  it('exits 0 and says what it wrote', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^synthesized 3 stacks from 1 fleet into /);
  });

  it('writes cdktf.out/stacks/<fleet>-<region>/cdk.tf.json for each region, and a manifest', () => {
    const out = join(dir, 'cdktf.out');
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['web-ap-southeast-2', 'web-eu-west-1', 'web-us-east-1']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['web-ap-southeast-2', 'web-eu-west-1', 'web-us-east-1']);
    const eu = JSON.parse(readFileSync(join(out, 'stacks', 'web-eu-west-1', 'cdk.tf.json'), 'utf8'));
    expect(Object.values(eu.resource.aws_ami_copy)).toEqual([expect.objectContaining({ region: 'eu-west-1', encrypted: true })]);
    expect(Object.values(eu.resource.aws_launch_template)).toEqual([expect.objectContaining({ region: 'eu-west-1', instance_type: 'm7i.large' })]);
  });

  it('carries the plan-time guards in every region of the example', () => {
    for (const region of ['ap-southeast-2', 'eu-west-1', 'us-east-1']) {
      const stack = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', `web-${region}`, 'cdk.tf.json'), 'utf8'));
      const lt = Object.values(stack.resource.aws_launch_template)[0] as { lifecycle: { precondition: { error_message: string }[] } };
      const messages = lt.lifecycle.precondition.map((p) => p.error_message);
      expect(messages).toEqual([
        expect.stringMatching(new RegExp(`^amifleet fleet web, region ${region}: instance type \\S+ is not offered in ${region}\\.`)),
        expect.stringMatching(new RegExp(`^amifleet fleet web, region ${region}: instance type \\S+ cannot run the source image's architecture`)),
      ]);
    }
  });

  it('makes stacks that depend on no other stack, so they can plan and apply in parallel', () => {
    const out = join(dir, 'cdktf.out');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    for (const stack of Object.values(manifest.stacks) as { dependencies: string[]; synthesizedStackPath: string }[]) {
      expect(stack.dependencies).toEqual([]);
      const text = readFileSync(join(out, stack.synthesizedStackPath), 'utf8');
      expect(text).not.toContain('terraform_remote_state');
      expect(text).not.toContain('cross-stack');
    }
  });

  it('gives each region\'s launch template its own user data, from the fleet\'s template', () => {
    for (const region of ['ap-southeast-2', 'eu-west-1', 'us-east-1']) {
      const stack = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', `web-${region}`, 'cdk.tf.json'), 'utf8'));
      const copy = Object.keys(stack.resource.aws_ami_copy)[0];
      const lt = Object.values(stack.resource.aws_launch_template)[0] as { user_data: unknown; instance_type: string };
      const text = instanceUserData(lt.user_data, (e) => (e === `aws_ami_copy.${copy}.id` ? `ami-copy-in-${region}` : `<unexpected ${e}>`));
      expect(text.startsWith('#!/bin/bash\n')).toBe(true);
      expect(text).toContain(`REGION '${region}' IMAGE_ID 'ami-copy-in-${region}'`);
      expect(text).toContain(`INSTANCE_TYPE '${lt.instance_type}' PORT '8080'`);
      expect(text).toContain('ExecStart=/usr/bin/python3 -m http.server ${PORT}\n');
    }
  });
});

describe('amifleet exit codes', () => {
  it('validate: 0 for a valid fleet', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML });
    const r = amifleet(['validate', join(dir, 'web.yaml')]);
    expect([r.code, r.stdout]).toEqual([0, '1 fleet valid\n']);
  });

  it('synth: 1 for an invalid fleet, every error positioned, no stack trace, nothing written', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML.replace('ami-0123456789abcdef0', 'ami-xyz').replace('t3.micro', '') });
    const r = amifleet(['synth', join(dir, 'web.yaml'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'web.yaml')}:4:8: source.ami: must be an AMI id: ami- followed by 8 or 17 hex digits`);
    expect(r.stderr).toMatch(/launchTemplate\.instanceType/);
    expect(r.stderr).toMatch(/2 errors in 1 file; nothing written/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('synth: a directory with a bad file writes nothing for any file', () => {
    const dir = workdir({ 'fleets/a.yaml': VALID_YAML, 'fleets/b.yaml': 'fleet: [' });
    const r = amifleet(['synth', join(dir, 'fleets'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('synth: a failed synth leaves an existing output directory as it was', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML });
    writeFileSync(join(dir, 'bad.yaml'), 'fleet: Bad\n');
    expect(amifleet(['synth', join(dir, 'web.yaml'), '--out', join(dir, 'out')]).code).toBe(0);
    const before = fileTree(join(dir, 'out'));
    expect(amifleet(['synth', join(dir, 'bad.yaml'), '--out', join(dir, 'out')]).code).toBe(1);
    expect(fileTree(join(dir, 'out'))).toEqual(before);
    expect(amifleet(['synth', join(dir, 'web.yaml'), '--out', join(dir, 'out')]).code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['manifest.json', 'stacks']);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('synth: works offline, without Terraform installed, for a fleet kept in HCP Terraform', () => {
    const dir = workdir({ 'web.yaml': `${VALID_YAML}state:\n  backend: cloud\n  organization: acme\n` });
    const r = amifleet(['synth', join(dir, 'web.yaml'), '--out', join(dir, 'out')], ROOT, { PATH: '/nonexistent' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const stack = JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'web-eu-west-1', 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'web-eu-west-1' } });
  });

  it('2 for usage errors: no command, unknown command, unknown option, missing argument', () => {
    expect(amifleet([]).code).toBe(2);
    expect(amifleet(['deploy']).code).toBe(2);
    expect(amifleet(['synth', 'fleets', '--bogus']).code).toBe(2);
    expect(amifleet(['synth']).code).toBe(2);
  });

  it('0 for --help and --version', () => {
    expect(amifleet(['--help']).code).toBe(0);
    expect(amifleet(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('1 for a path that does not exist', () => {
    const r = amifleet(['validate', '/nonexistent/fleet.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/nonexistent/fleet.yaml:1:1: cannot read: no such file');
  });
});
