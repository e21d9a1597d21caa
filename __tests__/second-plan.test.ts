import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, synthesizedStacks, workdir } from './support/cli';
import { startAwsDouble, type AwsDouble, type ImageRecord } from './support/aws-double';
import { appliedState, type AppliedState, type ShownPlan } from './support/applied-state';
import { eachLimited, planStack, terraformAsync, terraformCliConfig, type PlanResult } from './support/terraform-cli';

// A second plan changes nothing: each per-region stack of the bundled example and of the day-two
// fixture is planned, its state built as if that plan had been applied (applied-state.ts), and
// planned again with -refresh=false, seconds later, so plantimestamp() has moved. Then day-two's
// pinned source image changes (by hand, not kept in previous), and the plan against the applied
// state must create exactly the new image's copy and what hangs on it (copies are keyed by image),
// destroy the old image's, and update the launch template and the SSM parameter in place.

type Json = Record<string, unknown>;

const WEB = readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8');
const DAY_TWO = readFileSync(join(ROOT, '__tests__', 'fixtures', 'day-two.yaml'), 'utf8');
const OLD_SOURCE = 'ami-0abcdef1234567890';
const NEW_SOURCE = 'ami-0fedcba0987654321';
const DEPRECATE_AFTER_HOURS: Record<string, number> = { web: 365 * 24, api: 90 * 24 };

/** Every stack the CLI synthesizes from these fleet files, by name. */
function synthesize(fleets: Record<string, string>): Record<string, Json> {
  const project = workdir(Object.fromEntries(Object.entries(fleets).map(([f, text]) => [join('fleets', f), text])));
  return synthesizedStacks(project);
}

const shown = (plan: PlanResult): ShownPlan => plan.plan as unknown as ShownPlan;

/** Actions by address, leaving out data sources (read on every plan). */
function actions(plan: PlanResult): Record<string, string[]> {
  return Object.fromEntries((shown(plan).resource_changes ?? []).filter((rc) => rc.mode === 'managed').map((rc) => [rc.address, rc.change.actions]));
}

function changeOf(plan: PlanResult, type: string): { after: Json; after_unknown: Json } {
  const rc = (shown(plan).resource_changes ?? []).find((r) => r.type === type);
  if (!rc) throw new Error(`no ${type} in the plan`);
  return rc.change as unknown as { after: Json; after_unknown: Json };
}

/** `timeadd(t, "<hours>h")` of a plan's RFC 3339 timestamp, as Terraform writes it. */
function timeadd(timestamp: string, hours: number): string {
  return new Date(Date.parse(timestamp) + hours * 3_600_000).toISOString().replace(/\.000Z$/, 'Z');
}

describe('a second plan of an applied stack', () => {
  let double: AwsDouble;
  let stacks: Record<string, Json>;
  const first: Record<string, PlanResult> = {};
  const applied: Record<string, AppliedState> = {};

  beforeAll(async () => {
    terraformCliConfig();
    stacks = synthesize({ 'web.yaml': WEB, 'day-two.yaml': DAY_TWO });
    double = await startAwsDouble();
    await eachLimited(Object.entries(stacks), 2, async ([name, stack]) => {
      first[name] = await planStack(stack, double.endpoint, { show: true });
      if (first[name].code !== 0) throw new Error(`${name}: the first plan failed:\n${first[name].diagnostics.join('\n')}`);
      applied[name] = await appliedState(stack, double, first[name]);
    });
  }, 1_800_000);

  afterAll(() => double?.close());

  it('covers the per-region stacks of the bundled example and the day-two fixture', () => {
    expect(Object.keys(stacks).sort()).toEqual(['api-ap-southeast-2', 'api-eu-west-1', 'api-us-east-1', 'web-ap-southeast-2', 'web-eu-west-1', 'web-us-east-1']);
  });

  it('the first plans create everything: copies, launch templates, and for day-two sharing, snapshot tags and permissions, the SSM parameter', () => {
    for (const [name, plan] of Object.entries(first)) {
      const types = new Set(Object.entries(actions(plan)).map(([address, a]) => [address.split('.')[0], a.join()].join(' ')));
      const expected = ['aws_ami_copy', 'aws_ec2_tag', 'aws_launch_template',
        ...(name.startsWith('api-') ? ['aws_ami_launch_permission', 'aws_snapshot_create_volume_permission', 'aws_ssm_parameter'] : [])];
      expect([name, [...types].sort()]).toEqual([name, expected.sort().map((t) => `${t} create`)]);
    }
  });

  it('plans again later, with -refresh=false, and changes nothing: no resource, no output', () => {
    for (const [name, { plan }] of Object.entries(applied)) {
      expect([name, plan.diagnostics]).toEqual([name, []]);
      expect(Date.parse(plan.plan.timestamp)).toBeGreaterThan(Date.parse(shown(first[name]).timestamp));
      const changed = Object.entries(actions(plan)).filter(([, a]) => a.join() !== 'no-op');
      const outputs = Object.entries(plan.plan.output_changes ?? {}).filter(([, o]) => o.actions.join() !== 'no-op');
      expect([name, changed, outputs]).toEqual([name, [], []]);
    }
  });

  it('keeps deprecation_time as the first plan set it, although plantimestamp() has moved on', () => {
    for (const [name, { plan }] of Object.entries(applied)) {
      const set = changeOf(first[name], 'aws_ami_copy').after.deprecation_time;
      expect([name, set]).toEqual([name, timeadd(shown(first[name]).timestamp, DEPRECATE_AFTER_HOURS[name.split('-')[0]])]);
      expect([name, changeOf(plan, 'aws_ami_copy').after.deprecation_time]).toEqual([name, set]);
    }
  });

  it('would show a diff of a value the first plan knew: without ignore_changes, deprecation_time is an update', async () => {
    const stack = structuredClone(stacks['api-eu-west-1']) as { resource: Record<string, Record<string, { lifecycle: Json }>> };
    for (const copy of Object.values(stack.resource.aws_ami_copy)) delete copy.lifecycle.ignore_changes;
    const plan = await planStack(stack, double.endpoint, { state: applied['api-eu-west-1'].state, dir: first['api-eu-west-1'].dir, args: ['-refresh=false'], show: true });
    expect(plan.diagnostics).toEqual([]);
    expect(Object.entries(actions(plan)).filter(([, a]) => a.join() !== 'no-op')).toEqual([[expect.stringMatching(/^aws_ami_copy\./), ['update']]]);
  }, 600_000);

  describe('after day-two\'s source.ami changes', () => {
    const replaced: Record<string, PlanResult> = {};

    beforeAll(async () => {
      const image: ImageRecord = { region: 'us-east-1', imageId: NEW_SOURCE, name: 'golden-api-2026.12.1', ownerId: '111122223333', architecture: 'arm64', creationDate: '2026-12-01T00:00:00.000Z' };
      double.world = { ...double.world, images: [...double.world.images, image] };
      const next = synthesize({ 'day-two.yaml': DAY_TWO.replace(`ami: ${OLD_SOURCE}`, `ami: ${NEW_SOURCE}`) });
      await eachLimited(Object.entries(next), 2, async ([name, stack]) => {
        replaced[name] = await planStack(stack, double.endpoint, { state: applied[name].state, dir: first[name].dir, args: ['-refresh=false'], show: true });
      });
    }, 1_200_000);

    it('creates the new image\'s copy with its permissions and snapshot tags, destroys the old image\'s (not kept: no previous), and updates the launch template and the SSM parameter in place', () => {
      expect(Object.keys(replaced).sort()).toEqual(['api-ap-southeast-2', 'api-eu-west-1', 'api-us-east-1']);
      const hanging = ['aws_ami_copy', 'aws_ami_launch_permission', 'aws_ec2_tag', 'aws_snapshot_create_volume_permission'];
      for (const [name, plan] of Object.entries(replaced)) {
        expect([name, plan.code, plan.diagnostics]).toEqual([name, 0, []]);
        const inState = (applied[name].state.resources as { mode: string; type: string; name: string; instances: { index_key?: string }[] }[])
          .filter((r) => r.mode === 'managed')
          .flatMap((r) => r.instances.map((i) => [`${r.type}.${r.name}${i.index_key === undefined ? '' : `[${JSON.stringify(i.index_key)}]`}`,
            hanging.includes(r.type) ? ['delete'] : ['update']] as const));
        const planned = actions(plan);
        expect([name, Object.fromEntries(Object.entries(planned).filter(([a]) => a in Object.fromEntries(inState)))]).toEqual([name, Object.fromEntries(inState)]);
        const created = Object.entries(planned).filter(([a]) => !inState.some(([s]) => s === a));
        expect([name, [...new Set(created.map(([a, act]) => `${a.split('.')[0]} ${act.join()}`))].sort()]).toEqual([name, hanging.map((t) => `${t} create`)]);
        expect([name, created.length]).toEqual([name, inState.filter(([, act]) => act[0] === 'delete').length]);
      }
    });

    it('destroys the old copy only after the new one exists and the launch template and the SSM parameter name it (the apply graph)', async () => {
      const name = 'api-us-east-1';
      const graph = await terraformAsync(['graph', '-type=apply', '-plan=plan.bin'], first[name].dir);
      expect(graph.code).toBe(0);
      // "A" -> "B": A waits for B.
      const waitsFor = new Map<string, string[]>();
      for (const m of graph.stdout.matchAll(/"\[root\] ([^"]+)" -> "\[root\] ([^"]+)"/g)) waitsFor.set(m[1], [...(waitsFor.get(m[1]) ?? []), m[2]]);
      const after = (node: string, seen = new Set<string>()): Set<string> => {
        for (const next of waitsFor.get(node) ?? []) if (!seen.has(next)) { seen.add(next); after(next, seen); }
        return seen;
      };
      const planned = actions(replaced[name]);
      const address = (type: string, action: string) => Object.keys(planned).find((a) => a.startsWith(`${type}.`) && planned[a].join() === action)!;
      const destroyOld = after(`${address('aws_ami_copy', 'delete')} (destroy)`);
      for (const node of [address('aws_ami_copy', 'create'), address('aws_launch_template', 'update'), address('aws_ssm_parameter', 'update')]) {
        expect([node, destroyOld.has(node)]).toEqual([node, true]);
      }
    }, 600_000);

    it('the new copy is of the new image, with a fresh deprecation date; the launch template and the parameter take its id', () => {
      for (const [name, plan] of Object.entries(replaced)) {
        const copy = (shown(plan).resource_changes ?? []).find((r) => r.type === 'aws_ami_copy' && r.change.actions.includes('create'))!.change as unknown as { after: Json };
        expect([name, copy.after.source_ami_id, copy.after.name]).toEqual([name, NEW_SOURCE, expect.stringMatching(new RegExp(`^api-${NEW_SOURCE}-[0-9a-f]{8}$`))]);
        expect([name, copy.after.deprecation_time]).toEqual([name, timeadd(shown(plan).timestamp, DEPRECATE_AFTER_HOURS.api)]);
        expect([name, changeOf(plan, 'aws_launch_template').after_unknown.image_id, changeOf(plan, 'aws_ssm_parameter').after_unknown.insecure_value])
          .toEqual([name, true, true]);
      }
    });
  });

  it('the plans asked AWS for nothing the double does not answer', () => {
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });
});
