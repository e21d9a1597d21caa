import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amifleet, synthesizedStacks, workdir } from './support/cli';
import { GROUP_SETTINGS, ROLLOUT, SUBNETS } from './support/rollout-fixture';
import { startAwsDouble, type AwsDouble } from './support/aws-double';
import { appliedState, type AppliedState, type ShownPlan } from './support/applied-state';
import { eachLimited, planStack, terraformAsync, terraformCliConfig, type PlanResult } from './support/terraform-cli';

// The rollout fixture (two kept images, three waves, promoted: 1, an Auto Scaling group per region)
// planned by real Terraform against the AWS double: every region copies both images and launches
// its wave's. Then, against the state as if that plan had been applied, the fleet file is changed by
// `amifleet promote`, `rollback` and `release` as a user runs them (and by hand for a key change),
// and each plan must change only what that step changes. Assertions go by resource type.

type Json = Record<string, unknown>;

const NEW = 'ami-0aaaaaaaaaaaaaaaa';
const OLD = 'ami-0bbbbbbbbbbbbbbbb';
const NEXT = 'ami-0123456789abcdef0';
const STACKS = ['shop-ap-southeast-2', 'shop-eu-central-1', 'shop-eu-west-1', 'shop-us-east-1'];
const WAVES: Record<string, number> = { 'shop-us-east-1': 1, 'shop-eu-west-1': 2, 'shop-eu-central-1': 2, 'shop-ap-southeast-2': 3 };
/** The steps are planned in one stack of each wave (eu-central-1 is eu-west-1 without a KMS key): Terraform time is the suite's cost. */
const STEP_STACKS = ['shop-ap-southeast-2', 'shop-eu-west-1', 'shop-us-east-1'];

/** The fleet text with `edits` applied, each a line of the fixture and what replaces it (which must be there). */
function edited(edits: [string, string][]): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`the rollout fixture has no line ${from}`);
    return text.replace(from, to);
  }, ROLLOUT);
}

const PROMOTED = (n: number): [string, string] => ['  promoted: 1', `  promoted: ${n}`];

/** The fixture as `amifleet <command> <file> [args]` rewrites it; it must be exactly the fixture with `edits` applied. */
function stepped(command: string, args: string[], edits: [string, string][]): string {
  const project = workdir({ 'fleets/rollout.yaml': ROLLOUT });
  const step = amifleet([command, 'fleets/rollout.yaml', ...args], project);
  if (step.code !== 0) throw new Error(`amifleet ${command} exited ${step.code}: ${step.stderr}`);
  const text = readFileSync(join(project, 'fleets', 'rollout.yaml'), 'utf8');
  expect([command, text]).toEqual([command, edited(edits)]);
  return text;
}

/** A launch template's new version rolls its region's group: both change together, in place. */
const TEMPLATE_AND_GROUP = { aws_autoscaling_group: ['update'], aws_launch_template: ['update'] };

/** Every stack the CLI synthesizes from the fleet text, by name. */
function synthesize(text: string): Record<string, Json> {
  const project = workdir({ 'fleets/rollout.yaml': text });
  return synthesizedStacks(project);
}

const shown = (plan: PlanResult): ShownPlan => plan.plan as unknown as ShownPlan;
type Change = ShownPlan['resource_changes'] extends (infer C)[] | undefined ? C : never;
const managed = (plan: PlanResult): Change[] => (shown(plan).resource_changes ?? []).filter((rc) => rc.mode === 'managed');

/** The actions of a plan by resource type, leaving out no-ops: `{ aws_launch_template: ['update'] }`. */
function changedTypes(plan: PlanResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const rc of managed(plan)) {
    const action = rc.change.actions.join('+');
    if (action === 'no-op') continue;
    out[rc.type] = [...new Set([...(out[rc.type] ?? []), action])].sort();
  }
  return out;
}

/** The copies of a plan's configuration by source image id: what each will be (`after`) and its action. */
function copiesBySource(plan: PlanResult): Record<string, { actions: string[]; after: Json }> {
  return Object.fromEntries(managed(plan).filter((rc) => rc.type === 'aws_ami_copy' && rc.change.after !== null)
    .map((rc) => [String((rc.change.after as Json).source_ami_id), { actions: rc.change.actions, after: rc.change.after as Json }]));
}

/** The source image id of the copy a launch template's image id names, read from the applied state. */
function launchedSource(state: Json, plan: PlanResult): string {
  const template = managed(plan).find((rc) => rc.type === 'aws_launch_template')!;
  const imageId = (template.change.after as Json).image_id;
  const copies = (state.resources as { type: string; instances: { attributes: Json }[] }[]).filter((r) => r.type === 'aws_ami_copy').flatMap((r) => r.instances);
  const copy = copies.find((c) => c.attributes.id === imageId);
  if (!copy) throw new Error(`the launch template launches ${String(imageId)}, which is no copy of the state`);
  return String(copy.attributes.source_ami_id);
}

describe('a rollout planned by Terraform: two kept images, three waves, promoted: 1', () => {
  let double: AwsDouble;
  let stacks: Record<string, Json>;
  const first: Record<string, PlanResult> = {};
  const validations: Record<string, { code: number | null; output: string }> = {};
  const applied: Record<string, AppliedState> = {};

  beforeAll(async () => {
    terraformCliConfig();
    stacks = synthesize(ROLLOUT);
    double = await startAwsDouble();
    await eachLimited(Object.entries(stacks), 2, async ([name, stack]) => {
      first[name] = await planStack(stack, double.endpoint, { show: true });
      if (first[name].code !== 0) throw new Error(`${name}: the first plan failed:\n${first[name].diagnostics.join('\n')}`);
      const validate = await terraformAsync(['validate', '-no-color'], first[name].dir);
      validations[name] = { code: validate.code, output: validate.stdout + validate.stderr };
      if (STEP_STACKS.includes(name)) applied[name] = await appliedState(stack, double, first[name]);
    });
  }, 1_800_000);

  afterAll(() => double?.close());

  it('has a stack per region, each with its wave in its outputs', () => {
    expect(Object.keys(stacks).sort()).toEqual(STACKS);
    for (const [name, stack] of Object.entries(stacks)) {
      const outputs = stack.output as Record<string, { value: unknown }>;
      expect([name, outputs.rollout_wave.value]).toEqual([name, WAVES[name]]);
      expect([name, outputs.rollout_waves.value]).toEqual([name, { [name.replace('shop-', '')]: WAVES[name] }]);
    }
  });

  it('every stack passes terraform validate', () => {
    for (const [name, v] of Object.entries(validations)) expect([name, v.code, v.output]).toEqual([name, 0, expect.stringContaining('The configuration is valid')]);
  });

  it('creates in every region one Auto Scaling group on that region\'s launch template, with the fleet\'s settings and the region\'s subnets and target groups', () => {
    for (const [name, plan] of Object.entries(first)) {
      const groups = managed(plan).filter((rc) => rc.type === 'aws_autoscaling_group');
      expect([name, groups.map((g) => g.change.actions)]).toEqual([name, [['create']]]);
      const after = groups[0].change.after as Json;
      const region = name.replace('shop-', '');
      const tag = [['Fleet', 'shop'], ['ManagedBy', 'amifleet'], ['team', 'commerce']].map(([key, value]) => ({ key, value, propagate_at_launch: true }));
      expect(after).toMatchObject({ ...GROUP_SETTINGS, tag, vpc_zone_identifier: SUBNETS[region] });
      expect([name, after.target_group_arns]).toEqual([name, [expect.stringMatching(new RegExp(`^arn:aws:elasticloadbalancing:${region}:111122223333:targetgroup/shop/[0-9a-f]{16}$`))]]);
      // The launch template is created in the same plan: its id and latest version are known only after apply.
      expect([name, (groups[0].change.after_unknown as Json).launch_template]).toEqual([name, [{ id: true, name: true, version: true }]]);
    }
  });

  it('creates in every region a copy of both images, each with its snapshot tags, under names that differ', () => {
    for (const [name, plan] of Object.entries(first)) {
      expect([name, plan.diagnostics]).toEqual([name, []]);
      const copies = copiesBySource(plan);
      expect([name, Object.keys(copies).sort()]).toEqual([name, [NEW, OLD].sort()]);
      for (const copy of Object.values(copies)) expect([name, copy.actions]).toEqual([name, ['create']]);
      expect(copies[NEW].after.name).not.toBe(copies[OLD].after.name);
      const tags = managed(plan).filter((rc) => rc.type === 'aws_ec2_tag');
      expect([name, tags.length]).toEqual([name, 2 * 3]);
    }
  });

  it('launches the new image in the canary wave (us-east-1) only, the previous one elsewhere', () => {
    for (const [name, plan] of Object.entries(first)) {
      expect([name, shown(plan).planned_values.outputs?.source_image_ids?.value]).toEqual([name, { [name.replace('shop-', '')]: WAVES[name] === 1 ? NEW : OLD }]);
    }
    // Which copy each template really names, through the applied state: one stack per wave.
    for (const [name, { state, plan }] of Object.entries(applied)) expect([name, launchedSource(state, plan)]).toEqual([name, WAVES[name] === 1 ? NEW : OLD]);
  });

  it('plans a second time to no change at all', () => {
    for (const [name, { plan }] of Object.entries(applied)) expect([name, changedTypes(plan)]).toEqual([name, {}]);
  });

  it('leaves a group that scaled since alone (desired capacity 5 in the state)', async () => {
    const name = 'shop-us-east-1';
    const state = structuredClone(applied[name].state) as { resources: { type: string; instances: { attributes: Json }[] }[] };
    const group = state.resources.find((r) => r.type === 'aws_autoscaling_group')!;
    expect(group.instances[0].attributes.desired_capacity).toBe(2);
    group.instances[0].attributes.desired_capacity = 5;
    const plan = await planStack(stacks[name], double.endpoint, { state, dir: first[name].dir, args: ['-refresh=false'], show: true });
    expect([plan.code, plan.diagnostics]).toEqual([0, []]);
    expect(changedTypes(plan)).toEqual({});
  }, 600_000);

  describe('then each step of a rollout, as the fleet file would be edited', () => {
    const steps: Record<string, Record<string, PlanResult>> = {};
    const STEPS: Record<string, () => string> = {
      promote: () => stepped('promote', [], [PROMOTED(2)]),
      rollback: () => stepped('rollback', [], [PROMOTED(0)]),
      release: () => stepped('release', ['--ami', NEXT], [[`  ami: ${NEW}`, `  ami: ${NEXT}`], [`  previous: [${OLD}]`, `  previous: [${NEW}, ${OLD}]`]]),
      'key change': () => edited([['key/1234abcd-12ab-4cd5-9ef6-1234567890ab', 'key/0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0']]),
    };

    beforeAll(async () => {
      const runs = Object.entries(STEPS).flatMap(([step, text]) => {
        const next = synthesize(text());
        // A key change is eu-west-1's alone: the other stacks' configuration does not change.
        const planned = step === 'key change' ? ['shop-eu-west-1'] : STEP_STACKS;
        return planned.map((name) => ({ step, name, stack: next[name] }));
      });
      await eachLimited(runs, 2, async ({ step, name, stack }) => {
        const plan = await planStack(stack, double.endpoint, { state: applied[name].state, dir: first[name].dir, args: ['-refresh=false'], show: true });
        if (plan.code !== 0) throw new Error(`${step}, ${name}: the plan failed:\n${plan.diagnostics.join('\n')}`);
        (steps[step] ??= {})[name] = plan;
      });
    }, 1_800_000);

    it('promote (promoted: 2): wave 2\'s launch templates move to the new image\'s copy in place; nothing is created or destroyed', () => {
      for (const [name, plan] of Object.entries(steps.promote)) {
        expect([name, changedTypes(plan)]).toEqual([name, WAVES[name] === 2 ? TEMPLATE_AND_GROUP : {}]);
        if (WAVES[name] !== 2) continue;
        // The group's launch template version is the template's new latest_version, known at apply: the change that starts an instance refresh.
        const group = managed(plan).find((rc) => rc.type === 'aws_autoscaling_group')!;
        expect([name, (group.change.after_unknown as { launch_template?: { version?: boolean }[] }).launch_template?.[0]?.version]).toEqual([name, true]);
        // The same template, a new version of it.
        const template = (change: unknown) => ((change as { launch_template: Json[] }).launch_template[0]);
        expect([name, template(group.change.after).id]).toEqual([name, template((group.change as unknown as { before: unknown }).before).id]);
      }
    });

    it('rollback (promoted: 0): the canary\'s launch template goes back to the previous image\'s copy; nothing else changes', () => {
      for (const [name, plan] of Object.entries(steps.rollback)) {
        expect([name, changedTypes(plan)]).toEqual([name, WAVES[name] === 1 ? TEMPLATE_AND_GROUP : {}]);
      }
    });

    it('release (a new source.ami, the old one first in previous, promoted: 1): new copies everywhere, the canary on the new one, the later waves on the release it interrupts (previous[0]), nothing destroyed', () => {
      for (const [name, plan] of Object.entries(steps.release)) {
        // Mid-rollout (promoted: 1), the later waves launched the old previous[0]; now previous[0] is the release before.
        expect([name, changedTypes(plan)]).toEqual([name, { aws_ami_copy: ['create'], aws_ec2_tag: ['create'], ...TEMPLATE_AND_GROUP }]);
        if (WAVES[name] > 1) expect([name, launchedSource(applied[name].state, plan)]).toEqual([name, NEW]);
        const copies = copiesBySource(plan);
        expect([name, Object.keys(copies).sort()]).toEqual([name, [NEXT, NEW, OLD].sort()]);
        expect([name, copies[NEXT].actions, copies[NEW].actions, copies[OLD].actions]).toEqual([name, ['create'], ['no-op'], ['no-op']]);
      }
    });

    it('a KMS key change replaces that region\'s copies new before old, under new names, and updates its template', () => {
      expect(Object.keys(steps['key change'])).toEqual(['shop-eu-west-1']);
      for (const [name, plan] of Object.entries(steps['key change'])) {
        expect(changedTypes(plan)).toEqual({ aws_ami_copy: ['create+delete'], aws_ec2_tag: ['create+delete'], ...TEMPLATE_AND_GROUP });
        const before = Object.fromEntries(managed(first[name]).filter((rc) => rc.type === 'aws_ami_copy')
          .map((rc) => [String((rc.change.after as Json).source_ami_id), String((rc.change.after as Json).name)]));
        for (const [source, copy] of Object.entries(copiesBySource(plan))) {
          expect([source, copy.actions]).toEqual([source, ['create', 'delete']]);
          expect(copy.after.kms_key_id).toBe('arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0');
          expect(copy.after.name).toMatch(new RegExp(`^shop-${source}-[0-9a-f]{8}$`));
          expect(copy.after.name).not.toBe(before[source]);
        }
      }
    });
  });

  describe('dropping the oldest of two previous images once every wave is promoted', () => {
    const NAME = 'shop-eu-west-1';
    // Released twice and promoted everywhere: NEXT is launched, NEW and OLD kept (waves need a previous image).
    const RELEASED: [string, string][] = [[`  ami: ${NEW}`, `  ami: ${NEXT}`], [`  previous: [${OLD}]`, `  previous: [${NEW}, ${OLD}]`], PROMOTED(3)];
    let promoted: AppliedState;
    let dropped: PlanResult;

    beforeAll(async () => {
      const everywhere = synthesize(edited(RELEASED))[NAME];
      const plan = await planStack(everywhere, double.endpoint, { show: true });
      if (plan.code !== 0) throw new Error(`the plan of the promoted fleet failed:\n${plan.diagnostics.join('\n')}`);
      promoted = await appliedState(everywhere, double, plan);
      const next = synthesize(edited([...RELEASED, [`  previous: [${NEW}, ${OLD}]`, `  previous: [${NEW}]`]]))[NAME];
      dropped = await planStack(next, double.endpoint, { state: promoted.state, dir: plan.dir, args: ['-refresh=false'], show: true });
    }, 1_200_000);

    it('destroys only that image\'s copy and its snapshot tags', () => {
      expect(dropped.diagnostics).toEqual([]);
      expect(changedTypes(dropped)).toEqual({ aws_ami_copy: ['delete'], aws_ec2_tag: ['delete'] });
      const deleted = managed(dropped).filter((rc) => rc.change.actions.includes('delete'));
      const prior = new Map((shown(dropped).prior_state?.values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
      const deletedCopies = deleted.filter((r) => r.type === 'aws_ami_copy');
      expect(deletedCopies.length).toBe(1);
      for (const rc of deletedCopies) expect(prior.get(rc.address)?.source_ami_id).toBe(OLD);
      expect(launchedSource(promoted.state, promoted.plan)).toBe(NEXT);
    });
  });

  it('the plans asked AWS for nothing the double does not answer', () => {
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });
});
