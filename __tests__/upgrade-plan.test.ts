import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT, synthesizedStacks, workdir } from './support/cli';
import { startAwsDouble, type AwsDouble } from './support/aws-double';
import { appliedState, type AppliedState, type ShownPlan } from './support/applied-state';
import { eachLimited, planStack, terraformCliConfig, type PlanResult } from './support/terraform-cli';

// Upgrading amifleet replaces nothing. fixtures/upgrade/v0.1/ holds what amifleet 0.1 (main at
// c7dbf64, before copies were keyed by image) synthesized from fixtures/upgrade/store.yaml
// (`amifleet synth fleets` with that file under fleets/, each stack's cdk.tf.json copied as
// <stack>.json). Its state is built as if its plan had been applied; then this version's synth of
// the same file must plan against it (-refresh=false) to moves only, and a release not yet
// applied (a new source.ami, the old one in previous, waves) to new copies and the canary's updates.

type Json = Record<string, unknown>;

const DIR = join(ROOT, '__tests__', 'fixtures', 'upgrade');
const FLEET = readFileSync(join(DIR, 'store.yaml'), 'utf8');
const V01: Record<string, Json> = Object.fromEntries(readdirSync(join(DIR, 'v0.1')).map((f) =>
  [basename(f, '.json'), JSON.parse(readFileSync(join(DIR, 'v0.1', f), 'utf8')) as Json]));
const OLD = 'ami-0bbbbbbbbbbbbbbbb';
const NEW = 'ami-0aaaaaaaaaaaaaaaa';
const RELEASE = FLEET.replace(`  ami: ${OLD}\n`, `  ami: ${NEW}\n  previous: [${OLD}]\n`)
  .replace('\nregions:', '\nrollout:\n  waves: [[us-east-1], ["*"]]\n  promoted: 1\n\nregions:');

function synthesize(text: string): Record<string, Json> {
  const project = workdir({ 'fleets/store.yaml': text });
  return synthesizedStacks(project);
}

const shown = (plan: PlanResult): ShownPlan => plan.plan as unknown as ShownPlan;
type Change = NonNullable<ShownPlan['resource_changes']>[number] & { previous_address?: string };
const managed = (plan: PlanResult): Change[] => (shown(plan).resource_changes ?? []).filter((rc) => rc.mode === 'managed') as Change[];

/** Actions by resource type, leaving out no-ops. */
function changedTypes(plan: PlanResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const rc of managed(plan)) {
    const action = rc.change.actions.join('+');
    if (action !== 'no-op') out[rc.type] = [...new Set([...(out[rc.type] ?? []), action])].sort();
  }
  return out;
}

describe('upgrading from amifleet 0.1: a state it applied plans with this version to moves only', () => {
  let double: AwsDouble;
  const applied: Record<string, AppliedState> = {};
  const dirs: Record<string, string> = {};
  const upgraded: Record<string, PlanResult> = {};
  const released: Record<string, PlanResult> = {};

  beforeAll(async () => {
    terraformCliConfig();
    double = await startAwsDouble();
    const now = synthesize(FLEET);
    const release = synthesize(RELEASE);
    await eachLimited(Object.entries(V01), 2, async ([name, stack]) => {
      const first = await planStack(stack, double.endpoint, { show: true });
      if (first.code !== 0) throw new Error(`${name}: the plan of 0.1's stack failed:\n${first.diagnostics.join('\n')}`);
      applied[name] = await appliedState(stack, double, first);
      dirs[name] = first.dir;
    });
    await eachLimited(Object.keys(V01), 2, async (name) => {
      const options = { state: applied[name].state, dir: dirs[name], args: ['-refresh=false'], show: true };
      upgraded[name] = await planStack(now[name], double.endpoint, options);
      released[name] = await planStack(release[name], double.endpoint, options);
    });
  }, 1_800_000);

  afterAll(() => double?.close());

  it('covers both stacks of the fixture, each with a copy shared, tagged and published', () => {
    expect(Object.keys(V01).sort()).toEqual(['store-eu-west-1', 'store-us-east-1']);
    for (const { state } of Object.values(applied)) {
      const types = (state.resources as { mode: string; type: string }[]).filter((r) => r.mode === 'managed').map((r) => r.type);
      expect(new Set(types)).toEqual(new Set(['aws_ami_copy', 'aws_ec2_tag', 'aws_ami_launch_permission', 'aws_snapshot_create_volume_permission', 'aws_launch_template', 'aws_ssm_parameter']));
    }
  });

  it('creates, updates, replaces and destroys nothing: the copy and what hangs on it only move to their keyed addresses', () => {
    for (const [name, plan] of Object.entries(upgraded)) {
      expect([name, plan.code, plan.diagnostics]).toEqual([name, 0, []]);
      expect([name, changedTypes(plan)]).toEqual([name, {}]);
      const moved = managed(plan).filter((rc) => rc.previous_address !== undefined).map((rc) => rc.type).sort();
      expect([name, [...new Set(moved)]]).toEqual([name, ['aws_ami_copy', 'aws_ami_launch_permission', 'aws_ec2_tag', 'aws_snapshot_create_volume_permission']]);
    }
  });

  it('keeps the copies\' names and every output of 0.1 as it was; the new outputs only appear', () => {
    for (const [name, plan] of Object.entries(upgraded)) {
      const copy = managed(plan).find((rc) => rc.type === 'aws_ami_copy')!;
      expect([name, (copy.change.after as Json).name]).toEqual([name, `store-${OLD}`]);
      const outputs = Object.entries(shown(plan).output_changes ?? {}).filter(([, o]) => o.actions.join() !== 'no-op').map(([o, c]) => `${o} ${c.actions.join()}`);
      expect([name, outputs.sort()]).toEqual([name, ['image_copy_ids create', 'rollout_wave create', 'rollout_waves create', 'source_image_ids create']]);
    }
  });

  it('a release on top (not yet applied) creates the new image\'s copies and their tags and permissions, and moves only the canary wave to it', () => {
    const permissions = { aws_ami_launch_permission: ['create'], aws_snapshot_create_volume_permission: ['create'] };
    const expected: Record<string, Record<string, string[]>> = {
      'store-us-east-1': { aws_ami_copy: ['create'], aws_ec2_tag: ['create'], ...permissions, aws_launch_template: ['update'], aws_ssm_parameter: ['update'] },
      'store-eu-west-1': { aws_ami_copy: ['create'], aws_ec2_tag: ['create'], ...permissions },
    };
    for (const [name, plan] of Object.entries(released)) {
      expect([name, plan.code, plan.diagnostics]).toEqual([name, 0, []]);
      expect([name, changedTypes(plan)]).toEqual([name, expected[name]]);
      const copies = managed(plan).filter((rc) => rc.type === 'aws_ami_copy').map((rc) => [(rc.change.after as Json).source_ami_id, rc.change.actions.join()]);
      expect([name, copies.sort()]).toEqual([name, [[NEW, 'create'], [OLD, 'no-op']]]);
    }
  });

  it('the plans asked AWS for nothing the double does not answer', () => {
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });
});
