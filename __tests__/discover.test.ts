import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fleetFiles } from '../loader/discover';
import { loadFleets } from '../loader/load-fleets';
import { projectTemplatesDir } from '../loader/template-files';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';

const fleet = (name: string, userData?: string) => VALID_YAML.replace('fleet: web', `fleet: ${name}`)
  + (userData ? `  userData:\n    template: ${userData}\n` : '');

/** The user data of a stack's launch template, as EC2 gets it. */
function userData(out: string, stack: string): string {
  const json = JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
    resource: { aws_launch_template: Record<string, { user_data: string }> };
  };
  return Buffer.from(Object.values(json.resource.aws_launch_template)[0].user_data, 'base64').toString('utf8');
}

/** A project whose fleets live in subfolders, beside everything a fleet folder should not be read for. */
function nestedProject(): string {
  const dir = workdir({
    'package.json': '{ "name": "fleets-of-acme", "private": true }',
    'fleets/web.yaml': fleet('web'),
    'fleets/prod/api.yaml': fleet('api', 'api.sh.hbs'),
    'fleets/prod/eu/batch.yml': fleet('batch', 'batch.sh.hbs'),
    'fleets/prod/templates/user-data/batch.sh.hbs': '#!/bin/sh\necho prod templates for {{fleet}}\n',
    'templates/user-data/api.sh.hbs': '#!/bin/sh\necho project templates for {{fleet}}\n',
    'templates/user-data/batch.sh.hbs': '#!/bin/sh\necho not the nearest\n',
    // Never fleets: a hidden folder, node_modules, an earlier synth output and a module inside the fleet folder.
    'fleets/.archive/old.yaml': fleet('old'),
    'fleets/node_modules/some-package/package.json': '{}',
    'fleets/node_modules/some-package/fleet.yaml': 'not: a fleet',
    'fleets/out/manifest.json': '{}',
    'fleets/out/stacks/web-us-east-1/cdk.tf.json': '{}',
    'fleets/modules/web/main.tf.json': '{}',
  });
  return dir;
}

describe('a folder argument reads the fleet files of its subfolders', () => {
  let dir: string;
  beforeAll(() => { dir = nestedProject(); });

  it('finds them in path order, skipping hidden folders, node_modules, synth output and Terraform JSON', () => {
    expect(fleetFiles([join(dir, 'fleets')]).map((f) => f.slice(dir.length + 1))).toEqual([
      'fleets/prod/api.yaml', 'fleets/prod/eu/batch.yml', 'fleets/web.yaml',
    ]);
  });

  it('validates every nested fleet (amifleet validate)', () => {
    const r = amifleet(['validate', 'fleets'], dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '3 fleets valid\n', '']);
  });

  it('shows them in that order (amifleet show)', () => {
    const r = amifleet(['show', 'fleets'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('fleet ')).map((l) => l.split(':')[0])).toEqual([
      'fleet api (fleets/prod/api.yaml)', 'fleet batch (fleets/prod/eu/batch.yml)', 'fleet web (fleets/web.yaml)',
    ]);
  });

  it('synthesizes them, each with the templates/ nearest above its folder', () => {
    const r = amifleet(['synth', 'fleets', '--out', 'cdktf.out'], dir);
    expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/^synthesized 6 stacks from 3 fleets into cdktf\.out/)]);
    expect(userData(join(dir, 'cdktf.out'), 'api-eu-west-1')).toBe('#!/bin/sh\necho project templates for api\n');
    expect(userData(join(dir, 'cdktf.out'), 'batch-eu-west-1')).toBe('#!/bin/sh\necho prod templates for batch\n');
  });

  it('reports a mistake in a nested fleet with its path, and writes nothing', () => {
    const bad = workdir({ 'fleets/web.yaml': fleet('web'), 'fleets/prod/api.yaml': fleet('api').replace('t3.micro', 't3.micor') });
    const r = amifleet(['synth', 'fleets', '--out', 'out'], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('fleets/prod/api.yaml:9:17: launchTemplate.instanceType: unknown EC2 instance type "t3.micor"');
    expect(r.stderr).toContain('nothing written');
  });

  it('is what npx cdktf synth (main.ts) reads too', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js')], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, AMIFLEET_FLEETS: 'fleets', CDKTF_OUTDIR: join(dir, 'main.out') },
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const manifest = JSON.parse(readFileSync(join(dir, 'main.out', 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual([
      'api-eu-west-1', 'api-us-east-1', 'batch-eu-west-1', 'batch-us-east-1', 'web-eu-west-1', 'web-us-east-1',
    ]);
  });

  it('follows a linked folder once, and a link back up the tree not at all', () => {
    const linked = workdir({ 'elsewhere/shared.yaml': fleet('shared'), 'fleets/web.yaml': fleet('web') });
    symlinkSync(join(linked, 'elsewhere'), join(linked, 'fleets', 'shared'));
    symlinkSync(join(linked, 'fleets'), join(linked, 'fleets', 'loop'));
    expect(fleetFiles([join(linked, 'fleets')]).map((f) => f.slice(linked.length + 1))).toEqual(['fleets/shared/shared.yaml', 'fleets/web.yaml']);
  });
});

describe('the project templates/ of a fleet file', () => {
  it('is the nearest above the fleet\'s folder, else the one beside it (as for fleets/web.yaml)', () => {
    const dir = nestedProject();
    expect(projectTemplatesDir(join(dir, 'fleets', 'web.yaml'))).toBe(join(dir, 'templates'));
    expect(projectTemplatesDir(join(dir, 'fleets', 'prod', 'api.yaml'))).toBe(join(dir, 'templates'));
    expect(projectTemplatesDir(join(dir, 'fleets', 'prod', 'eu', 'batch.yml'))).toBe(join(dir, 'fleets', 'prod', 'templates'));
    const bare = workdir({ 'package.json': '{}', 'fleets/prod/api.yaml': fleet('api') });
    expect(projectTemplatesDir(join(bare, 'fleets', 'prod', 'api.yaml'))).toBe(join(bare, 'fleets', 'templates'));
  });

  it('is never looked for above the project root: a templates/ there is not the project\'s', () => {
    const dir = workdir({
      'templates/user-data/bootstrap.sh.hbs': 'a template of another project',
      'project/package.json': '{}',
      'project/fleets/prod/web.yaml': fleet('web', 'bootstrap.sh.hbs').replace('  userData:\n    template: bootstrap.sh.hbs\n',
        '  userData:\n    template: bootstrap.sh.hbs\n    vars: { packages: [], commands: [] }\n'),
    });
    const loaded = loadFleets([join(dir, 'project', 'fleets')]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.fleets[0].userDataTemplate?.source).not.toContain('another project');
    expect(loaded.fleets[0].userDataTemplate?.source).toContain('#!/bin/');
  });
});

describe('a folder that cannot be read', () => {
  // root reads every folder whatever its mode, so only another user can see this error.
  const asNonRoot = process.getuid?.() === 0 ? it.skip : it;

  asNonRoot('is an error naming it, not a silent skip', () => {
    const dir = workdir({ 'fleets/web.yaml': fleet('web'), 'fleets/prod/api.yaml': fleet('api') });
    chmodSync(join(dir, 'fleets', 'prod'), 0o000);
    try {
      const r = amifleet(['validate', 'fleets'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('fleets/prod:1:1: cannot read this folder (permission denied), so the fleet files in it cannot be loaded');
    } finally {
      chmodSync(join(dir, 'fleets', 'prod'), 0o755);
    }
  });
});
