import type { FleetInput } from '../modules/fleet/fleet-spec';
import { baseFleet, only, resources, synthFleet, type TfJson } from './support/fleets';

// RegionalFleet's copies of every kept image (source.ami and source.previous), in the JSON: one
// copy with its snapshot tags and sharing per image, the launch template and SSM parameter on the
// copy of the region's wave, names, lifecycle, outputs, and the moved blocks from 0.1's addresses.

const NEW = 'ami-0aaaaaaaaaaaaaaaa';
const OLD = 'ami-0bbbbbbbbbbbbbbbb';
const OLDER = 'ami-0cccccccccccccccc';

const rollout = (overrides: Partial<FleetInput> = {}): FleetInput => baseFleet({
  source: { region: 'us-east-1', ami: NEW, previous: [OLD, OLDER] },
  rollout: { waves: [['us-east-1'], ['eu-west-1']], promoted: 1 },
  copy: { shareWith: { accounts: ['444455556666'] } },
  publish: { ssmParameter: '/amifleet/web/ami-id' },
  ...overrides,
});

type Moved = { from: string; to: string };

/** The source image id of the copy an expression names (a reference, or one inside a longer expression). */
function copiedSource(stack: TfJson, expression: unknown): unknown {
  const name = /aws_ami_copy\.([^.\s"]+)\./.exec(String(expression))?.[1];
  return resources(stack, 'aws_ami_copy')[name as string]?.source_ami_id;
}

/** A copy as Terraform compares it with its state: its preconditions (the guards, on the newest copy) are no part of it. */
function comparable(copy: Record<string, unknown>): Record<string, unknown> {
  const { precondition: _, ...lifecycle } = copy.lifecycle as Record<string, unknown>;
  return { ...copy, lifecycle };
}

describe('kept images: a copy of source.ami and of each of source.previous in every region', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => { stacks = synthFleet(rollout()); });

  it('copies each kept image once per region, with its own snapshot tags, launch and snapshot permissions', () => {
    for (const stack of Object.values(stacks)) {
      const copies = Object.values(resources(stack, 'aws_ami_copy'));
      expect(copies.map((c) => c.source_ami_id).sort()).toEqual([NEW, OLD, OLDER].sort());
      for (const type of ['aws_ec2_tag', 'aws_ami_launch_permission', 'aws_snapshot_create_volume_permission']) {
        const sources = Object.values(resources(stack, type)).map((r) => copiedSource(stack, r.resource_id ?? r.image_id ?? r.snapshot_id));
        expect([type, sources.sort()]).toEqual([type, [NEW, OLD, OLDER].sort()]);
      }
    }
  });

  it('reads each previous image once per stack, in the source region (their snapshot devices key the tags and permissions)', () => {
    const images = Object.values(stacks['web-eu-west-1'].data!.aws_ami).map((d) => [d.region, (d.filter as { values: string[] }[])[0].values[0]]);
    expect(images.sort()).toEqual([['us-east-1', NEW], ['us-east-1', OLD], ['us-east-1', OLDER]]);
  });

  it('addresses each copy by its image id, so a release adds copies and changes none', () => {
    const before = Object.keys(resources(stacks['web-eu-west-1'], 'aws_ami_copy'));
    const released = synthFleet(rollout({ source: { region: 'us-east-1', ami: 'ami-0123456789abcdef0', previous: [NEW, OLD, OLDER] } }))['web-eu-west-1'];
    const after = resources(released, 'aws_ami_copy');
    for (const address of before) expect(comparable(after[address])).toEqual(comparable(resources(stacks['web-eu-west-1'], 'aws_ami_copy')[address]));
    expect(Object.keys(after).filter((a) => !before.includes(a))).toEqual([expect.stringContaining('copy-ami-0123456789abcdef0')]);
  });

  it('starts the launch template and publishes the copy of the wave\'s image: source.ami in promoted waves, previous[0] elsewhere', () => {
    for (const [name, source] of [['web-us-east-1', NEW], ['web-eu-west-1', OLD]]) {
      const stack = stacks[name];
      expect([name, copiedSource(stack, only(resources(stack, 'aws_launch_template')).image_id)]).toEqual([name, source]);
      expect([name, copiedSource(stack, only(resources(stack, 'aws_ssm_parameter')).insecure_value)]).toEqual([name, source]);
      expect([name, copiedSource(stack, stack.output!.image_id.value)]).toEqual([name, source]);
    }
    const rolledBack = synthFleet(rollout({ rollout: { waves: [['us-east-1'], ['eu-west-1']], promoted: 0 } }))['web-us-east-1'];
    expect(copiedSource(rolledBack, only(resources(rolledBack, 'aws_launch_template')).image_id)).toBe(OLD);
  });

  it('names each copy <fleet>-<image>-<digest>, distinct per image, kept on update (ignore_changes) and replaced new before old', () => {
    const copies = Object.values(resources(stacks['web-eu-west-1'], 'aws_ami_copy'));
    const digests = new Set(copies.map((c) => /^web-ami-[0-9a-f]{17}-([0-9a-f]{8})$/.exec(String(c.name))?.[1]));
    expect(digests.size).toBe(1);
    expect(digests.has(undefined)).toBe(false);
    for (const copy of copies) {
      expect(copy.name).toBe(`web-${String(copy.source_ami_id)}-${[...digests][0]}`);
      expect(copy.lifecycle).toMatchObject({ create_before_destroy: true, ignore_changes: ['name'] });
    }
  });

  it('outputs each region\'s wave, the source image it launches, and every kept image\'s copy', () => {
    const out = stacks['web-eu-west-1'].output!;
    expect(out.rollout_wave.value).toBe(2);
    expect(out.rollout_waves.value).toEqual({ 'eu-west-1': 2 });
    expect(out.source_image_ids.value).toEqual({ 'eu-west-1': OLD });
    const byImage = (out.image_copy_ids.value as Record<string, Record<string, string>>)['eu-west-1'];
    expect(Object.keys(byImage).sort()).toEqual([NEW, OLD, OLDER].sort());
    for (const [image, ref] of Object.entries(byImage)) expect(copiedSource(stacks['web-eu-west-1'], ref)).toBe(image);
    const single = only(synthFleet({ ...rollout(), layout: 'single' })).output!;
    expect(single.rollout_waves.value).toEqual({ 'eu-west-1': 2, 'us-east-1': 1 });
    expect(single.source_image_ids.value).toEqual({ 'eu-west-1': OLD, 'us-east-1': NEW });
    expect(single.rollout_wave).toBeUndefined();
  });

  it('moves 0.1\'s unkeyed copy, snapshot tags and sharing to the oldest kept image\'s, and nothing else', () => {
    const stack = stacks['web-eu-west-1'] as TfJson & { moved: Moved[]; terraform: { required_version: string } };
    const moved = Object.fromEntries(stack.moved.map((m) => [m.from, m.to]));
    expect(Object.keys(moved).sort()).toEqual([
      'aws_ami_copy.eu-west-1_copy_image_65747BDC',
      'aws_ami_launch_permission.eu-west-1_sharing_accounts_C869594E',
      'aws_ec2_tag.eu-west-1_snapshot-tags_tag_901DE3E9',
      'aws_snapshot_create_volume_permission.eu-west-1_sharing_snapshot-accounts_78A230C8',
    ]);
    for (const [from, to] of Object.entries(moved)) {
      const [type, name] = to.split('.');
      expect([from, name]).toEqual([from, expect.stringContaining(`-${OLDER}_`)]);
      expect(resources(stack, type)[name]).toBeDefined();
    }
    expect(stack.terraform.required_version).toBe('>= 1.2.0');
  });
});

describe('a lookup source: one copy, at the address it always had', () => {
  it('keeps the unkeyed copy and writes no moved block', () => {
    const stack = synthFleet(baseFleet({ source: { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-*' } } }))['web-eu-west-1'];
    expect(Object.keys(resources(stack, 'aws_ami_copy'))).toEqual(['eu-west-1_copy_image_65747BDC']);
    expect(stack.moved).toBeUndefined();
    expect((stack.output!.source_image_ids.value as Record<string, string>)['eu-west-1']).toMatch(/^\$\{data\.aws_ami\.[^.]+\.id\}$/);
  });

  it('a region that adopts an image copies nothing and is left out of the source image and copy maps', () => {
    const stack = only(synthFleet(baseFleet({ regions: { 'us-east-1': {}, 'eu-west-1': { adopt: { image: 'ami-0fedcba9876543210' } } }, layout: 'single' })));
    expect(Object.values(resources(stack, 'aws_ami_copy')).map((c) => c.region)).toEqual(['us-east-1']);
    expect(Object.keys(stack.output!.source_image_ids.value as object)).toEqual(['us-east-1']);
    expect(Object.keys(stack.output!.image_copy_ids.value as object)).toEqual(['us-east-1']);
    expect(stack.output!.rollout_waves.value).toEqual({ 'eu-west-1': 1, 'us-east-1': 1 });
  });
});


