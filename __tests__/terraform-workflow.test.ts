import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { amifleet, ROOT, workdir } from './support/cli';
import { adaptStackFile, terraformCliConfig, terraformOk } from './support/terraform-cli';

// The README's workflow with the real terraform: synthesize, init and keep state in each stack,
// change the fleet, synthesize again; nothing Terraform wrote may be lost.

type Manifest = { stacks: Record<string, unknown>; amifleet: { stacks: Record<string, { fleet: string; file: string }>; orphanedStacks?: Record<string, { kept: string[] }> } };

const EXAMPLE = readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8');

/** A state file as `terraform apply` would leave it, holding one copy, at the stack's backend path. */
function placeState(stackDir: string): { file: string; address: string } {
  const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const name = Object.keys(stack.resource.aws_ami_copy)[0];
  const file = resolve(stackDir, stack.terraform.backend.local.path);
  writeFileSync(file, JSON.stringify({
    version: 4, terraform_version: '1.11.4', serial: 3, lineage: '6b1c0b1e-8d2a-4c3e-9f10-1a2b3c4d5e6f', outputs: {}, check_results: null,
    resources: [{
      mode: 'managed', type: 'aws_ami_copy', name, provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: { id: 'ami-0fedcba9876543210' }, sensitive_attributes: [] }],
    }],
  }));
  return { file, address: `aws_ami_copy.${name}` };
}

const manifestOf = (project: string): Manifest => JSON.parse(readFileSync(join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
const stackDir = (project: string, stack: string) => join(project, 'cdktf.out', 'stacks', stack);

describe('a real Terraform workflow loses nothing (README: synth, cd into a stack, init, apply, change the fleet, synth again)', () => {
  let project: string;
  const states: Record<string, { file: string; address: string }> = {};
  const locks: Record<string, Buffer> = {};
  let resynth: ReturnType<typeof amifleet>;

  beforeAll(() => {
    terraformCliConfig();
    project = workdir({ 'fleets/web.yaml': EXAMPLE });
    expect(amifleet(['synth', 'fleets'], project).code).toBe(0);
    for (const stack of Object.keys(manifestOf(project).stacks)) {
      const dir = stackDir(project, stack);
      adaptStackFile(join(dir, 'cdk.tf.json'));
      terraformOk(['init', '-input=false', '-no-color'], dir);
      states[stack] = placeState(dir);
      locks[stack] = readFileSync(join(dir, '.terraform.lock.hcl'));
    }
    // A region added, one removed, an instance type changed.
    const changed = EXAMPLE.replace('  ap-southeast-2:\n    securityGroupIds: [sg-0123456789abcdef0]\n', '  eu-central-1: {}\n')
      .replace('instanceType: m7i.large', 'instanceType: m7i.xlarge');
    expect(changed).not.toBe(EXAMPLE);
    writeFileSync(join(project, 'fleets', 'web.yaml'), changed);
    resynth = amifleet(['synth', 'fleets'], project);
  }, 120_000);

  it('keeps local state beside cdktf.out, where no synth writes', () => {
    for (const [stack, { file }] of Object.entries(states)) {
      expect(file).toBe(join(project, `terraform.${stack}.tfstate`));
      expect(existsSync(file)).toBe(true);
    }
  });

  it('the second synth succeeds and says what it kept', () => {
    expect(resynth.code).toBe(0);
    expect(resynth.stdout).toContain('synthesized 3 stacks from 1 fleet into cdktf.out');
    expect(resynth.stdout).toContain('kept what Terraform wrote in 2 stack directories: .terraform.lock.hcl, .terraform/\n');
  });

  it('terraform still finds the state, .terraform/ and the lock file in every stack that still exists', () => {
    for (const stack of ['web-us-east-1', 'web-eu-west-1']) {
      const dir = stackDir(project, stack);
      expect(readFileSync(join(dir, '.terraform.lock.hcl')).equals(locks[stack])).toBe(true);
      adaptStackFile(join(dir, 'cdk.tf.json'));
      expect(terraformOk(['state', 'list'], dir).trim()).toBe(states[stack].address);
      // validate fails without the providers of .terraform/ or with a lock file that does not match them.
      expect(terraformOk(['validate', '-no-color'], dir)).toContain('The configuration is valid');
    }
    expect(readFileSync(join(stackDir(project, 'web-eu-west-1'), 'cdk.tf.json'), 'utf8')).toContain('m7i.xlarge');
  });

  it('a new region\'s stack initializes and validates from scratch', () => {
    const dir = stackDir(project, 'web-eu-central-1');
    adaptStackFile(join(dir, 'cdk.tf.json'));
    terraformOk(['init', '-input=false', '-no-color'], dir);
    expect(terraformOk(['validate', '-no-color'], dir)).toContain('The configuration is valid');
  });

  it('a removed region\'s stack directory is kept, with its configuration, so that what it manages can be destroyed', () => {
    const dir = stackDir(project, 'web-ap-southeast-2');
    expect(resynth.stderr).toContain('amifleet: warning: stack web-ap-southeast-2 is no longer made by fleet web, but '
      + 'cdktf.out/stacks/web-ap-southeast-2 holds .terraform.lock.hcl, .terraform/, ../../../terraform.web-ap-southeast-2.tfstate: kept it');
    expect(resynth.stderr).toContain('(cd cdktf.out/stacks/web-ap-southeast-2 && terraform destroy)');
    const manifest = manifestOf(project);
    expect(Object.keys(manifest.stacks).sort()).toEqual(['web-eu-central-1', 'web-eu-west-1', 'web-us-east-1']);
    expect(Object.keys(manifest.amifleet.orphanedStacks ?? {})).toEqual(['web-ap-southeast-2']);
    expect(terraformOk(['state', 'list'], dir).trim()).toBe(states['web-ap-southeast-2'].address);
    expect(terraformOk(['validate', '-no-color'], dir)).toContain('The configuration is valid');
  });

  it('synthesizing another fleet file into the same output touches none of this fleet\'s stacks', () => {
    // .terraform/ links to the provider binary, hundreds of MB: its own files are compared, not the provider's.
    const stackFiles = () => Object.fromEntries(['web-us-east-1', 'web-eu-west-1', 'web-eu-central-1', 'web-ap-southeast-2'].flatMap((stack) =>
      ['cdk.tf.json', '.terraform.lock.hcl', '.terraform/terraform.tfstate'].filter((f) => existsSync(join(stackDir(project, stack), f)))
        .map((f) => [`${stack}/${f}`, readFileSync(join(stackDir(project, stack), f))])));
    const before = stackFiles();
    expect(Object.keys(before).length).toBeGreaterThan(8);
    writeFileSync(join(project, 'fleets', 'api.yaml'), EXAMPLE.replace('fleet: web', 'fleet: api'));
    const r = amifleet(['synth', 'fleets/api.yaml'], project);
    expect(r.code).toBe(0);
    const after = stackFiles();
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [file, bytes] of Object.entries(before)) expect([file, after[file].equals(bytes)]).toEqual([file, true]);
    const manifest = manifestOf(project);
    expect(Object.keys(manifest.stacks).filter((s) => s.startsWith('web-')).sort()).toEqual(['web-eu-central-1', 'web-eu-west-1', 'web-us-east-1']);
    expect(manifest.amifleet.stacks['api-eu-west-1']).toEqual({ fleet: 'api', file: 'fleets/api.yaml', wave: 1 });
    expect(manifest.amifleet.stacks['web-eu-west-1']).toEqual({ fleet: 'web', file: 'fleets/web.yaml', wave: 1 });
  });
});

describe('state where amifleet 0.1 kept it, inside the stack directory', () => {
  it('is kept, named, and found by terraform after the move the warning gives', () => {
    terraformCliConfig();
    const project = workdir({ 'fleets/web.yaml': EXAMPLE });
    expect(amifleet(['synth', 'fleets'], project).code).toBe(0);
    // What amifleet 0.1 wrote: a backend path relative to the stack directory.
    const dir = stackDir(project, 'web-us-east-1');
    const file = join(dir, 'cdk.tf.json');
    const old = JSON.parse(readFileSync(file, 'utf8'));
    old.terraform.backend.local = { path: 'terraform.web-us-east-1.tfstate' };
    writeFileSync(file, JSON.stringify(old));
    adaptStackFile(file);
    terraformOk(['init', '-input=false', '-no-color'], dir);
    const { address } = placeState(dir);
    expect(existsSync(join(dir, 'terraform.web-us-east-1.tfstate'))).toBe(true);

    const r = amifleet(['synth', 'fleets'], project);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'terraform.web-us-east-1.tfstate'))).toBe(true);
    const warning = /^amifleet: warning: cdktf\.out\/stacks\/web-us-east-1\/terraform\.web-us-east-1\.tfstate is the state of stack web-us-east-1 where amifleet 0\.1 kept it.*Move it: (.*)$/m.exec(r.stderr);
    expect(warning).not.toBeNull();
    expect(warning![1]).toBe('mv cdktf.out/stacks/web-us-east-1/terraform.web-us-east-1.tfstate terraform.web-us-east-1.tfstate'
      + ' && (cd cdktf.out/stacks/web-us-east-1 && terraform init -reconfigure)');
    adaptStackFile(file);
    execSync(warning![1].replace('terraform init', 'terraform init -no-color -input=false'), {
      cwd: project, env: { ...process.env, TF_CLI_CONFIG_FILE: terraformCliConfig(), CHECKPOINT_DISABLE: '1' }, stdio: 'pipe',
    });
    expect(terraformOk(['state', 'list'], dir).trim()).toBe(address);
  }, 60_000);
});
