import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing, Token } from 'cdktf';
import { parse } from 'yaml';
import { FleetAutoScalingGroup, type FleetAutoScalingGroupProps } from '../modules/constructs/fleet-auto-scaling-group';
import type { FleetInput } from '../modules/fleet/fleet-spec';
import { FleetStack } from '../modules/constructs/fleet-stack';
import { baseFleet, only, referencedName, resources, synthFleet, type TfJson } from './support/fleets';

type Json = Record<string, unknown>;

const base: FleetAutoScalingGroupProps = {
  region: 'eu-west-1', name: 'web', launchTemplateId: 'lt-0123456789abcdef0', launchTemplateVersion: 3,
  subnetIds: ['subnet-0123456789abcdef0'], minSize: 2, maxSize: 6,
};

function synth(props: Partial<FleetAutoScalingGroupProps> = {}): Json {
  const json = Testing.synthScope((scope) => { new FleetAutoScalingGroup(scope, 'group', { ...base, ...props }); });
  return only(JSON.parse(json).resource.aws_autoscaling_group as Record<string, Json>);
}

const ROLLOUT = parse(readFileSync(join(__dirname, 'fixtures', 'valid', 'rollout.yaml'), 'utf8')) as FleetInput;

describe('FleetAutoScalingGroup', () => {
  let defaults: Json;
  beforeAll(() => { defaults = synth(); });

  it('runs in its region on the given launch template version, in the given subnets, with min and max', () => {
    expect(defaults).toMatchObject({
      region: 'eu-west-1', name: 'web', launch_template: { id: 'lt-0123456789abcdef0', version: '3' },
      vpc_zone_identifier: ['subnet-0123456789abcdef0'], min_size: 2, max_size: 6,
    });
  });

  it('by default: EC2 health checks after 300 s, no desired capacity, no target groups, nothing ignored', () => {
    expect(defaults).toMatchObject({ health_check_type: 'EC2', health_check_grace_period: 300 });
    for (const key of ['desired_capacity', 'target_group_arns', 'lifecycle', 'tag', 'wait_for_capacity_timeout']) expect([key, defaults[key]]).toEqual([key, undefined]);
  });

  it('by default rolls with 90% healthy, skipping matching instances, rolling back on failure, with no pauses or alarms', () => {
    expect(defaults.instance_refresh).toEqual({
      strategy: 'Rolling', preferences: { min_healthy_percentage: 90, skip_matching: true, auto_rollback: true },
    });
  });

  it('sets desired capacity at creation only: ignore_changes keeps scaling\'s value', () => {
    const group = synth({ desiredCapacity: 3 });
    expect(group.desired_capacity).toBe(3);
    expect(group.lifecycle).toEqual({ ignore_changes: ['desired_capacity'] });
  });

  it('registers with target groups, health-checks through the load balancer', () => {
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0123456789abcdef';
    const group = synth({ targetGroupArns: [arn], healthCheckType: 'ELB', healthCheckGracePeriodSeconds: 120 });
    expect(group).toMatchObject({ target_group_arns: [arn], health_check_type: 'ELB', health_check_grace_period: 120 });
    expect(synth({ targetGroupArns: [] }).target_group_arns).toBeUndefined();
  });

  it('propagates its tags to the instances it launches', () => {
    expect(synth({ tags: { Fleet: 'web', team: 'platform' } }).tag).toEqual([
      { key: 'Fleet', value: 'web', propagate_at_launch: true },
      { key: 'team', value: 'platform', propagate_at_launch: true },
    ]);
  });

  it('makes the tag blocks of a Terraform map (a module input) at plan, with a dynamic block', () => {
    const group = synth({ tags: Token.asStringMap('${var.tags}') });
    expect(group.tag).toBeUndefined();
    expect(group.dynamic).toEqual({
      tag: { for_each: '${var.tags}', iterator: 'each', content: { key: '${each.key}', value: '${each.value}', propagate_at_launch: true } },
    });
  });

  it('writes the refresh preferences as the provider takes them: durations as strings of seconds, alarms in an alarm specification', () => {
    const group = synth({
      minHealthyPercentage: 75, instanceWarmupSeconds: 300, checkpoints: [25, 50], checkpointDelaySeconds: 600,
      skipMatching: false, autoRollback: false, alarms: ['web-5xx', 'web-latency'],
    });
    expect((group.instance_refresh as Json).preferences).toEqual({
      min_healthy_percentage: 75, instance_warmup: '300', checkpoint_percentages: [25, 50, 100], checkpoint_delay: '600',
      skip_matching: false, auto_rollback: false, alarm_specification: { alarms: ['web-5xx', 'web-latency'] },
    });
  });

  it('ends the checkpoints at 100, where AWS ends a refresh, without repeating it', () => {
    const percentages = (checkpoints: number[]) => ((synth({ checkpoints }).instance_refresh as Json).preferences as Json).checkpoint_percentages;
    expect(percentages([25, 50])).toEqual([25, 50, 100]);
    expect(percentages([50, 100])).toEqual([50, 100]);
    expect(percentages([])).toBeUndefined();
  });

  it('waits for capacity as long as it is told', () => {
    expect(synth({ waitForCapacityTimeout: '20m' }).wait_for_capacity_timeout).toBe('20m');
  });

  it('refuses what no group can be', () => {
    expect(() => synth({ subnetIds: [] })).toThrow(/subnetIds must name at least one subnet/);
    expect(() => synth({ minSize: 7 })).toThrow(/minSize 7 is above maxSize 6/);
    expect(() => synth({ minSize: 1.5 })).toThrow(/minSize must be a whole number/);
    expect(() => synth({ desiredCapacity: 7 })).toThrow(/desiredCapacity 7 is outside minSize..maxSize \(2..6\)/);
    expect(() => synth({ desiredCapacity: 1 })).toThrow(/desiredCapacity 1 is outside/);
    expect(() => synth({ checkpoints: [50, 25] })).toThrow(/checkpoints must be ascending, got 50, 25/);
    expect(() => synth({ checkpoints: [50, 101] })).toThrow(/checkpoints must be whole percentages 1..100, got 101/);
    expect(() => synth({ checkpointDelaySeconds: 60 })).toThrow(/checkpointDelaySeconds needs checkpoints/);
  });
});

describe('a fleet with autoScaling: a group in every region, on that region\'s launch template', () => {
  let stacks: Record<string, TfJson>;
  let single: TfJson;
  beforeAll(() => {
    stacks = synthFleet(ROLLOUT);
    single = synthFleet({ ...ROLLOUT, layout: 'single' }).shop;
  });

  it('gives each per-region stack one group, named after the fleet, on the latest version of its own launch template', () => {
    expect(Object.keys(stacks).sort()).toEqual(['shop-ap-southeast-2', 'shop-eu-central-1', 'shop-eu-west-1', 'shop-us-east-1']);
    for (const [name, stack] of Object.entries(stacks)) {
      const region = name.replace('shop-', '');
      const group = only(resources(stack, 'aws_autoscaling_group'));
      const template = referencedName((group.launch_template as Json).id, 'aws_launch_template') as string;
      expect([name, group.region, group.name, resources(stack, 'aws_launch_template')[template]?.region]).toEqual([name, region, 'shop', region]);
      expect([name, (group.launch_template as Json).version]).toEqual([name, `\${aws_launch_template.${template}.latest_version}`]);
    }
  });

  it('takes subnets and target groups from its region, sizes and refresh settings from autoScaling', () => {
    const east = only(resources(stacks['shop-us-east-1'], 'aws_autoscaling_group'));
    expect(east).toMatchObject({
      vpc_zone_identifier: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      target_group_arns: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop/0123456789abcdef'],
      min_size: 2, max_size: 6, desired_capacity: 2, lifecycle: { ignore_changes: ['desired_capacity'] },
      health_check_type: 'ELB', health_check_grace_period: 300,
    });
    expect(east.instance_refresh).toEqual({
      strategy: 'Rolling',
      preferences: {
        min_healthy_percentage: 90, instance_warmup: '300', checkpoint_percentages: [25, 50, 100], checkpoint_delay: '600',
        skip_matching: true, auto_rollback: true, alarm_specification: { alarms: ['shop-5xx'] },
      },
    });
    const west = only(resources(stacks['shop-eu-west-1'], 'aws_autoscaling_group'));
    expect(west.vpc_zone_identifier).toEqual(['subnet-1a1b2c3d4e5f60718']);
    expect(west.target_group_arns).toEqual(['arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/1123456789abcdef']);
  });

  it('tags the group and its instances as the launch template is tagged', () => {
    const stack = stacks['shop-eu-west-1'];
    const tags = only(resources(stack, 'aws_launch_template')).tags as Record<string, string>;
    expect(only(resources(stack, 'aws_autoscaling_group')).tag)
      .toEqual(Object.entries(tags).map(([key, value]) => ({ key, value, propagate_at_launch: true })));
    expect(tags).toEqual({ Fleet: 'shop', ManagedBy: 'amifleet', team: 'commerce' });
  });

  it('outputs each region\'s group name: plain in a per-region stack, a map by region in every stack', () => {
    const out = stacks['shop-eu-west-1'].output!;
    const group = Object.keys(resources(stacks['shop-eu-west-1'], 'aws_autoscaling_group'))[0];
    expect(out.auto_scaling_group_name.value).toBe(`\${aws_autoscaling_group.${group}.name}`);
    expect(out.auto_scaling_group_names.value).toEqual({ 'eu-west-1': `\${aws_autoscaling_group.${group}.name}` });
    const names = single.output!.auto_scaling_group_names.value as Record<string, string>;
    expect(Object.keys(names).sort()).toEqual(['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1']);
    for (const [region, ref] of Object.entries(names)) {
      expect([region, single.resource!.aws_autoscaling_group[referencedName(ref, 'aws_autoscaling_group') as string].region]).toEqual([region, region]);
    }
    expect(single.output!.auto_scaling_group_name).toBeUndefined();
  });

  it('a fleet without autoScaling has no group and no group outputs', () => {
    const plain = synthFleet(baseFleet())['web-eu-west-1'];
    expect(resources(plain, 'aws_autoscaling_group')).toEqual({});
    expect(Object.keys(plain.output!).filter((o) => o.startsWith('auto_scaling'))).toEqual([]);
  });

  it('in a module, the group takes the name prefix and the tags input', () => {
    const app = Testing.app({ stackTraces: false });
    const stack = JSON.parse(Testing.synth(new FleetStack(app, 'module', { fleet: ROLLOUT, asModule: true }))) as TfJson;
    const group = Object.values(resources(stack, 'aws_autoscaling_group'))[0];
    expect(group.name).toBe('${var.name_prefix}');
    expect(((group.dynamic as Json).tag as Json).for_each).toMatch(/^\$\{merge\(var\.tags, \{"Fleet" = "shop"/);
  });
});
