import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amifleet, ROOT, workdir } from './support/cli';
import { startAwsDouble, type AwsDouble } from './support/aws-double';
import { eachLimited, forProvider5, planStack, terraformAsync, terraformCliConfig, type PlanResult } from './support/terraform-cli';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

// Terraform is the judge: every stack the bundled example and the fixtures synthesize is
// validated (terraform init -backend=false, validate: its own backend block as written) and
// planned against the AWS double (the backend swapped for local state; see forPlan).

const FLEETS: Record<string, string> = {
  'web.yaml': readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8'),
  // One stack resolves the lookup once: the example's reason for accepting unpinned-source-across-stacks does not apply.
  'web-single.yaml': readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8').replace('fleet: web', 'fleet: websingle')
    .replace(/^suppress:.*\n( .*\n)+/m, '') + 'layout: single\n',
  'day-two.yaml': readFileSync(join(ROOT, '__tests__', 'fixtures', 'day-two.yaml'), 'utf8'),
  // The rollout fixture's stacks are validated and planned by auto-scaling-plan.test.ts (and planned by rollout-plan.test.ts): not a third time here.
  ...Object.fromEntries(readdirSync(join(ROOT, '__tests__', 'fixtures', 'valid')).filter((f) => f !== 'rollout.yaml')
    .map((f) => [f, readFileSync(join(ROOT, '__tests__', 'fixtures', 'valid', f), 'utf8')])),
};

type Json = Record<string, unknown>;

interface StackRun {
  readonly validate: { code: number | null; output: string };
  readonly plan: PlanResult;
}

describe('terraform validate and plan on every stack of the example and the fixtures', () => {
  let double: AwsDouble;
  let stacks: Record<string, Json>;
  const runs: Record<string, StackRun> = {};

  beforeAll(async () => {
    terraformCliConfig();
    const project = workdir(Object.fromEntries(Object.entries(FLEETS).map(([f, text]) => [join('fleets', f), text])));
    const synth = amifleet(['synth', 'fleets'], project);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(project, 'cdktf.out', 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
    stacks = Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) =>
      [name, JSON.parse(readFileSync(join(project, 'cdktf.out', s.synthesizedStackPath), 'utf8')) as Json]));
    double = await startAwsDouble();
    await eachLimited(Object.entries(stacks), 2, async ([name, stack]) => {
      const dir = mkdtempSync(join(tmpdir(), `amifleet-validate-${name}-`));
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(forProvider5(stack), null, 2));
      const init = await terraformAsync(['init', '-backend=false', '-input=false', '-no-color'], dir);
      const validate = init.code === 0 ? await terraformAsync(['validate', '-no-color'], dir) : init;
      runs[name] = { validate: { code: validate.code, output: validate.stdout + validate.stderr }, plan: await planStack(stack, double.endpoint) };
    });
  }, 600_000);

  afterAll(() => double?.close());

  it('covers both layouts and every state backend', () => {
    expect(Object.keys(stacks).sort()).toEqual([
      'api-ap-southeast-2', 'api-eu-west-1', 'api-us-east-1', 'batch', 'legacy-eu-west-1', 'legacy-us-east-1',
      'web-ap-southeast-2', 'web-eu-west-1', 'web-us-east-1', 'websingle',
    ]);
    const backends = new Set(Object.values(stacks).map((s) => Object.keys((s.terraform as Json).backend ?? { cloud: 1 })[0]));
    expect([...backends].sort()).toEqual(['cloud', 'local', 's3']);
  });

  it('every stack passes terraform validate, with its own backend block', () => {
    for (const [name, run] of Object.entries(runs)) expect([name, run.validate.code, run.validate.output]).toEqual([name, 0, expect.stringContaining('The configuration is valid')]);
  });

  it('every stack plans against the AWS double, creating its copies and launch templates', () => {
    for (const [name, { plan }] of Object.entries(runs)) {
      expect([name, plan.code, plan.diagnostics]).toEqual([name, 0, []]);
      const kinds = (action: string) => (plan.changes ?? []).filter((c) => c.action === action).map((c) => c.address.split('.')[0]);
      // An adopted launch template is imported, then updated in place; every other region's is created.
      const templates = name.startsWith('legacy-') ? kinds('update') : kinds('create');
      expect([name, templates]).toEqual([name, expect.arrayContaining(['aws_launch_template'])]);
      if (name !== 'legacy-eu-west-1') expect([name, kinds('create')]).toEqual([name, expect.arrayContaining(['aws_ami_copy'])]);
    }
  });

  it('the plans asked AWS for nothing the double does not answer', () => {
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });
});
