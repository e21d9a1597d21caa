import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { amifleet, synthesizedStacks, workdir } from './support/cli';
import { GROUP_SETTINGS as SETTINGS, ROLLOUT, SUBNETS } from './support/rollout-fixture';
import { startAwsDouble, type AwsDouble } from './support/aws-double';
import type { ShownPlan } from './support/applied-state';
import {
  adaptModuleDir, eachLimited, forPlan, moduleCaller, planStack, terraformAsync, terraformCliConfig, type PlanResult,
} from './support/terraform-cli';

// Terraform is the judge of the Auto Scaling groups: the rollout fixture's `layout: single` stack
// and its module pass `terraform validate` and plan a group in every region with the fleet's
// settings. The per-region stacks are planned by rollout-plan.test.ts, which also checks their
// groups, a new launch template version rolling a group (an instance refresh) and a scaled group
// left alone: planning them here too would only double the suite's Terraform time.

type Json = Record<string, unknown>;

const FLEETS: Record<string, string> = {
  // Outside fleets/, so synth leaves it to the module command.
  'module-source/rollout.yaml': ROLLOUT,
  'fleets/rollout-single.yaml': `${ROLLOUT.replace('fleet: shop', 'fleet: shopsingle')}layout: single\n`,
};
const REGIONS = ['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1'];

interface ShownGroup { address: string; change: { actions: string[]; before: Json | null; after: Json; after_unknown: Json } }

/** Every stack the CLI synthesizes from these fleet files, by name. */
function synthesize(project: string): Record<string, Json> {
  return synthesizedStacks(project);
}

const shown = (plan: PlanResult): ShownPlan => plan.plan as unknown as ShownPlan;

/** The planned Auto Scaling groups of a plan. */
function groups(plan: PlanResult): ShownGroup[] {
  return (shown(plan).resource_changes ?? []).filter((rc) => rc.type === 'aws_autoscaling_group') as unknown as ShownGroup[];
}

describe('Auto Scaling groups of the rollout fixture: terraform validate and plan', () => {
  let double: AwsDouble;
  let stacks: Record<string, Json>;
  const plans: Record<string, PlanResult> = {};
  const validations: Record<string, { code: number | null; output: string }> = {};

  beforeAll(async () => {
    terraformCliConfig();
    const project = workdir(FLEETS);
    stacks = synthesize(project);
    double = await startAwsDouble();
    const moduleDir = mkdtempSync(join(tmpdir(), 'amifleet-asg-module-'));
    const write = amifleet(['module', 'module-source/rollout.yaml', '--out', join(moduleDir, 'modules', 'shop')], project);
    if (write.code !== 0) throw new Error(`amifleet module exited ${write.code}: ${write.stderr}`);
    const caller = moduleCaller('shop', adaptModuleDir(join(moduleDir, 'modules', 'shop')), { name_prefix: 'shop-blue', tags: { cost: 'storefront' } });
    writeFileSync(join(moduleDir, 'cdk.tf.json'), JSON.stringify(forPlan(caller, double.endpoint), null, 2));
    const runs: [string, Json, string | undefined][] = [...Object.entries(stacks).map(([n, s]) => [n, s, undefined] as [string, Json, undefined]), ['module', caller, moduleDir]];
    await eachLimited(runs, 2, async ([name, stack, dir]) => {
      plans[name] = await planStack(stack, double.endpoint, { dir, show: true });
      const validate = await terraformAsync(['validate', '-no-color'], plans[name].dir);
      validations[name] = { code: validate.code, output: validate.stdout + validate.stderr };
    });
  }, 1_800_000);

  afterAll(() => double?.close());

  it('covers the single stack and the module', () => {
    expect(Object.keys(plans).sort()).toEqual(['module', 'shopsingle']);
  });

  it('every stack and the module pass terraform validate and plan without a diagnostic', () => {
    for (const [name, v] of Object.entries(validations)) expect([name, v.code, v.output]).toEqual([name, 0, expect.stringContaining('The configuration is valid')]);
    for (const [name, plan] of Object.entries(plans)) expect([name, plan.code, plan.diagnostics]).toEqual([name, 0, []]);
  });

  it('the single stack creates a group per region, each on the launch template of its own region', () => {
    const plan = shown(plans.shopsingle);
    const providerOf = (address: string) => plan.configuration.root_module.resources?.find((r) => r.address === address)?.provider_config_key;
    const created = groups(plans.shopsingle);
    expect(created.map((g) => g.change.after.vpc_zone_identifier).sort()).toEqual(REGIONS.map((r) => SUBNETS[r]).sort());
    for (const group of created) {
      const config = plan.configuration.root_module.resources?.find((r) => r.address === group.address) as unknown as { expressions: { launch_template: { id: { references: string[] } }[] } };
      const template = config.expressions.launch_template[0].id.references.find((r) => !r.endsWith('.id')) as string;
      expect([group.address, providerOf(template)]).toEqual([group.address, providerOf(group.address)]);
      expect(group.change.after).toMatchObject({ ...SETTINGS, name: 'shopsingle' });
    }
  });

  it('the module\'s groups take the name_prefix and tags inputs', () => {
    const created = groups(plans.module);
    expect(created).toHaveLength(4);
    for (const group of created) {
      expect(group.change.after).toMatchObject({ ...SETTINGS, name: 'shop-blue' });
      expect((group.change.after.tag as Json[]).map((t) => [t.key, t.value, t.propagate_at_launch]))
        .toEqual([['Fleet', 'shop'], ['ManagedBy', 'amifleet'], ['cost', 'storefront'], ['team', 'commerce']].map((t) => [...t, true]));
    }
  });

  it('the plans asked AWS for nothing the double does not answer', () => {
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });
});
