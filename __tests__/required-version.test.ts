import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FleetInput } from '../modules/fleet/fleet-spec';
import { compareVersions, TERRAFORM_FEATURES, type TerraformFeature } from '../modules/rendering/terraform-version';
import { loadFleets } from '../loader/load-fleets';
import { fleetModule, moduleReadme } from '../cli/fleet-module-writer';
import { parseFleetText } from '../loader/load-fleet';
import { benchFleets, VALID_YAML } from './support/cli';
import { baseFleet, synthFleet, type TfJson } from './support/fleets';
import { validFleet } from './support/mutated-fleets';
import { terraformExpressions } from './support/terraform';

type Stack = TfJson & {
  terraform?: {
    required_version?: string;
    backend?: { s3?: { use_lockfile?: boolean } };
    cloud?: { workspaces?: { project?: string } };
  };
  variable?: Record<string, { validation?: unknown[] }>;
  import?: unknown[];
  moved?: unknown[];
};

/** Each feature as it shows in a synthesized stack: the test's own reading, independent of the constructs' declarations. */
const WRITTEN: Record<TerraformFeature, (stack: Stack, expressions: string) => boolean> = {
  'provider source addresses': (s) => s.terraform?.required_providers !== undefined,
  'input variable validation': (s) => Object.values(s.variable ?? {}).some((v) => v.validation !== undefined),
  'alltrue()': (_, e) => /(?<![\w.])alltrue\(/.test(e),
  'one()': (_, e) => /(?<![\w.])one\(/.test(e),
  'cloud block': (s) => s.terraform?.cloud !== undefined,
  'moved blocks': (s) => (s.moved ?? []).length > 0,
  'preconditions and postconditions': (s) => /"(pre|post)condition":/.test(JSON.stringify(s)),
  'timecmp()': (_, e) => /(?<![\w.])timecmp\(/.test(e),
  'plantimestamp()': (_, e) => /(?<![\w.])plantimestamp\(/.test(e),
  'import blocks': (s) => (s.import ?? []).length > 0,
  'cloud workspaces project': (s) => s.terraform?.cloud?.workspaces?.project !== undefined,
  'S3 native state locking (use_lockfile)': (s) => s.terraform?.backend?.s3?.use_lockfile === true,
};

/** `>= x.y.z` for the newest feature the stack's JSON shows. */
function constraintFor(stack: Stack): string {
  const expressions = terraformExpressions(stack).join('\n');
  const versions = (Object.keys(WRITTEN) as TerraformFeature[]).filter((f) => WRITTEN[f](stack, expressions)).map((f) => TERRAFORM_FEATURES[f]);
  return `>= ${versions.sort(compareVersions).at(-1)}`;
}

const stacksOf = (fleet: FleetInput) => synthFleet(fleet) as Record<string, Stack>;
const versionsOf = (fleet: FleetInput) => Object.fromEntries(Object.entries(stacksOf(fleet)).map(([n, s]) => [n, s.terraform?.required_version]));

describe('terraform.required_version: what each stack needs', () => {
  it.each<[string, Partial<FleetInput>, string]>([
    ['a pinned image in local state: the plan-time guards (1.2)', {}, '>= 1.2.0'],
    ['an SSM parameter source', { source: { region: 'us-east-1', ssmParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' } }, '>= 1.2.0'],
    ['a lookup of Amazon\'s images: AWS leaves deprecated ones out, no guard reads the time', { source: { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-2023.*-x86_64' } } }, '>= 1.2.0'],
    ['a lookup of the caller\'s own images: its not-deprecated guard reads plantimestamp() (1.5)', { source: { region: 'us-east-1', lookup: { owners: ['self'], name: 'golden-web-*' } } }, '>= 1.5.0'],
    ['a lookup that accepts deprecated images', { source: { region: 'us-east-1', lookup: { owners: ['self'], name: 'golden-web-*', includeDeprecated: true } } }, '>= 1.2.0'],
    ['copy.deprecateAfterDays: plantimestamp() (1.5)', { copy: { deprecateAfterDays: 365 } }, '>= 1.5.0'],
    ['S3 state, locked: use_lockfile (1.10)', { state: { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1' } }, '>= 1.10.0'],
    ['S3 state without a lock', { state: { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1', lockfile: false } }, '>= 1.2.0'],
    ['HCP Terraform without a project: the cloud block (1.1) is older than the guards', { state: { backend: 'cloud', organization: 'acme' } }, '>= 1.2.0'],
    ['HCP Terraform with a project: workspaces.project (1.6)', { state: { backend: 'cloud', organization: 'acme', project: 'images' } }, '>= 1.6.0'],
  ])('%s', (_, overrides, expected) => {
    expect(versionsOf(baseFleet(overrides))).toEqual({ 'web-eu-west-1': expected, 'web-us-east-1': expected });
  });

  it('is per stack: only the region that adopts a launch template needs import blocks (1.5)', () => {
    const fleet = baseFleet({ regions: { 'us-east-1': { adopt: { launchTemplate: 'lt-0123456789abcdef0' } }, 'eu-west-1': {} } });
    expect(versionsOf(fleet)).toEqual({ 'web-eu-west-1': '>= 1.2.0', 'web-us-east-1': '>= 1.5.0' });
    expect(versionsOf({ ...fleet, layout: 'single' })).toEqual({ web: '>= 1.5.0' });
  });

  it('takes the newest feature when a stack has several', () => {
    expect(versionsOf(baseFleet({ copy: { deprecateAfterDays: 30 }, state: { backend: 'cloud', organization: 'acme', project: 'images' } })))
      .toEqual({ 'web-eu-west-1': '>= 1.6.0', 'web-us-east-1': '>= 1.6.0' });
  });

  it('is the same in a fleet module\'s versions.tf.json and README', () => {
    const file = (text: string) => {
      const loaded = parseFleetText('fleets/web.yaml', text);
      return { file: 'fleets/web.yaml', fleet: loaded.fleet!, document: loaded.document! };
    };
    const pinned = fleetModule(file(VALID_YAML));
    expect((pinned.files['versions.tf.json'].terraform as Record<string, unknown>).required_version).toBe('>= 1.2.0');
    expect(moduleReadme(file(VALID_YAML), pinned)).toContain('| terraform | `>= 1.2.0` |');
    const lookup = fleetModule(file(VALID_YAML.replace('  ami: ami-0123456789abcdef0', '  lookup: { owners: [self], name: golden-web-* }')));
    expect((lookup.files['versions.tf.json'].terraform as Record<string, unknown>).required_version).toBe('>= 1.5.0');
  });
});

describe('terraform.required_version: never below what a stack writes', () => {
  const expectDeclaredAsWritten = (stacks: Record<string, Stack>) => {
    expect(Object.keys(stacks).length).toBeGreaterThan(0);
    for (const stack of Object.values(stacks)) expect(stack.terraform?.required_version).toBe(constraintFor(stack));
  };

  it('for the day-two fixture, in both layouts', () => {
    const fleet = loadFleets([join(__dirname, 'fixtures', 'day-two.yaml')]).fleets[0].fleet;
    expectDeclaredAsWritten(stacksOf(fleet));
    expectDeclaredAsWritten(stacksOf({ ...fleet, layout: 'single' }));
  });

  it('for the benchmark\'s generated fleets (every source kind and backend)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amifleet-required-version-'));
    benchFleets(8, dir);
    const loaded = loadFleets([dir]);
    expect(loaded.fleets).toHaveLength(8);
    for (const f of loaded.fleets) expectDeclaredAsWritten(synthFleet(f.fleet, { userDataTemplate: f.userDataTemplate }) as Record<string, Stack>);
  });

  it('for adopting, sharing and HCP Terraform projects together', () => {
    expectDeclaredAsWritten(stacksOf(baseFleet({
      regions: { 'us-east-1': { adopt: { launchTemplate: 'lt-0123456789abcdef0' } }, 'eu-west-1': { adopt: { image: 'ami-0fedcba9876543210' } } },
      copy: { shareWith: { accounts: ['444455556666'] } },
      state: { backend: 'cloud', organization: 'acme', project: 'images' },
    })));
  });

  it('for a fleet module (variable validations, alltrue())', () => {
    const loaded = parseFleetText('fleets/web.yaml', VALID_YAML);
    const module = fleetModule({ file: 'fleets/web.yaml', fleet: loaded.fleet!, document: loaded.document! });
    const merged = Object.assign({}, ...Object.values(module.files)) as Stack;
    expect(module.terraformVersion).toBe(constraintFor(merged));
  });

  it('for generated valid fleets (property)', () => {
    fc.assert(fc.property(validFleet, (fleet) => expectDeclaredAsWritten(stacksOf(fleet))), { numRuns: 20 });
  });
});

describe('terraform.required_version with the real Terraform on the PATH', () => {
  const terraform = (args: string[], cwd: string) =>
    spawnSync('terraform', args, { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' } });
  /** A directory holding only a `terraform { required_version }` block (and `more` of it), as Terraform reads it at `init`. */
  const configWith = (constraint: string, more: Record<string, unknown> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'amifleet-tf-version-'));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_version: constraint, ...more } }));
    return dir;
  };

  let installed: string;
  beforeAll(() => {
    const r = terraform(['version', '-json'], tmpdir());
    if (r.error || r.status !== 0) throw new Error(`these tests need terraform on the PATH: ${r.error?.message ?? r.stderr}`);
    installed = (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
  });

  it('accepts every constraint amifleet writes, up to S3 native locking\'s >= 1.10.0', () => {
    const fleets: Partial<FleetInput>[] = [{}, { copy: { deprecateAfterDays: 1 } },
      { state: { backend: 'cloud', organization: 'acme', project: 'images' } },
      { state: { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1' } }];
    const written = [...new Set(fleets.flatMap((f) => Object.values(versionsOf(baseFleet(f)))))] as string[];
    expect(written.sort()).toEqual(['>= 1.10.0', '>= 1.2.0', '>= 1.5.0', '>= 1.6.0']);
    expect(compareVersions(installed, '1.10.0')).toBeGreaterThanOrEqual(0);
    for (const constraint of written) {
      const r = terraform(['init', '-backend=false', '-input=false', '-no-color'], configWith(constraint));
      expect([constraint, r.status, r.stderr]).toEqual([constraint, 0, expect.not.stringContaining('Error')]);
      expect(r.stdout).toContain('Terraform has been successfully initialized');
    }
  });

  it('refuses a stack needing a newer Terraform with that reason, before a setting it cannot read', () => {
    const [major, minor] = installed.split('.').map(Number);
    const newer = { backend: { s3: { bucket: 'b', key: 'k', region: 'us-east-1', a_setting_of_the_future: true } } };
    const refused = terraform(['init', '-input=false', '-no-color'], configWith(`>= ${major}.${minor + 1}.0`, newer));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Unsupported Terraform Core version');
    expect(refused.stderr).not.toContain('Extraneous JSON object property');
    // Without the constraint, the same setting fails on its own, less helpfully.
    const unguarded = terraform(['init', '-input=false', '-no-color'], configWith(`>= ${major}.${minor}.0`, newer));
    expect(unguarded.status).toBe(1);
    expect(unguarded.stderr).toContain('Extraneous JSON object property');
  });
});
