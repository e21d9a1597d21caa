import { Construct } from 'constructs';
import { TerraformIterator, Token } from 'cdktf';
import { AutoscalingGroup, type AutoscalingGroupInstanceRefreshPreferences } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { HealthCheckType } from '../fleet/fleet-spec';

export interface FleetAutoScalingGroupProps {
  /** Region the group lives in: its launch template's. */
  readonly region: string;
  /** Group name, unique per region and account. */
  readonly name: string;
  /** The region's launch template. */
  readonly launchTemplateId: string;
  /**
   * The template version the group launches: its latest version number (`FleetLaunchTemplate.latestVersionNumber`).
   * A number, never `$Default`/`$Latest`: Terraform starts an instance refresh only when it changes,
   * and AWS refuses to roll back a refresh on `$Default`/`$Latest`.
   */
  readonly launchTemplateVersion: number;
  /** Subnets of the region the group launches into (one or more). */
  readonly subnetIds: string[];
  /** Load balancer target groups of the region that register the group's instances. @default - none */
  readonly targetGroupArns?: string[];
  readonly minSize: number;
  readonly maxSize: number;
  /** Capacity at creation; later changes (scaling, operators) are left alone. @default - minSize (AWS's) */
  readonly desiredCapacity?: number;
  /** @default 'EC2' */
  readonly healthCheckType?: HealthCheckType;
  /** @default 300 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Tags on the group, propagated to the instances it launches; may be a Terraform map. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Share of the group kept in service during an instance refresh. @default 90 */
  readonly minHealthyPercentage?: number;
  /** @default - the group's default instance warm-up, else its health check grace period (AWS's) */
  readonly instanceWarmupSeconds?: number;
  /** Percentages of new instances at which a refresh pauses, ascending; 100 is added when missing, so a refresh replaces every instance. @default - no pauses */
  readonly checkpoints?: number[];
  /** Pause at each checkpoint; needs checkpoints. @default - 3600 (AWS's) */
  readonly checkpointDelaySeconds?: number;
  /** Leave instances already on the new launch template version alone. @default true */
  readonly skipMatching?: boolean;
  /** Roll a failed (or alarmed) refresh back to the previous version. @default true */
  readonly autoRollback?: boolean;
  /** CloudWatch alarm names (in the region) whose alarm fails the refresh. @default - none */
  readonly alarms?: string[];
  /** How long an apply waits for minSize healthy instances ('0' never waits). @default '10m' (the provider's) */
  readonly waitForCapacityTimeout?: string;
}

/**
 * An Auto Scaling group in one region, on a fixed version of that region's launch template, that
 * rolls its instances (instance refresh) whenever that version changes.
 *
 * @example
 * const group = new FleetAutoScalingGroup(stack, 'group', {
 *   region: 'eu-west-1', name: 'web', launchTemplateId: template.launchTemplateId,
 *   launchTemplateVersion: template.latestVersionNumber, subnetIds: ['subnet-0123456789abcdef0'], minSize: 2, maxSize: 6,
 * });
 * group.groupName;
 */
export class FleetAutoScalingGroup extends Construct {
  public readonly groupName: string;
  public readonly groupArn: string;
  public readonly region: string;
  public readonly resource: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: FleetAutoScalingGroupProps) {
    super(scope, id);
    const fail = (what: string): never => { throw new Error(`FleetAutoScalingGroup ${this.node.path}: ${what}`); };
    const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);
    if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length === 0) fail('subnetIds must name at least one subnet');
    for (const [name, n] of Object.entries({ minSize: props.minSize, maxSize: props.maxSize, desiredCapacity: props.desiredCapacity })) {
      if (known(n) && (!Number.isInteger(n) || n < 0)) fail(`${name} must be a whole number of instances, got ${n}`);
    }
    if (known(props.minSize) && known(props.maxSize) && props.minSize > props.maxSize) fail(`minSize ${props.minSize} is above maxSize ${props.maxSize}`);
    const desired = props.desiredCapacity;
    if (known(desired) && ((known(props.minSize) && desired < props.minSize) || (known(props.maxSize) && desired > props.maxSize))) {
      fail(`desiredCapacity ${desired} is outside minSize..maxSize (${props.minSize}..${props.maxSize})`);
    }
    const checkpoints = props.checkpoints && props.checkpoints.length > 0 ? this.checkpointPercentages(props.checkpoints, fail) : undefined;
    if (props.checkpointDelaySeconds !== undefined && checkpoints === undefined) fail('checkpointDelaySeconds needs checkpoints');
    this.region = props.region;
    const tags = props.tags ? { ...props.tags } : undefined;
    // A Terraform map (a module's tags input) is known only at plan: a dynamic block makes its tag blocks then.
    const tagMap = tags !== undefined && Token.isUnresolved(tags) ? TerraformIterator.fromMap(tags) : undefined;
    const preferences: AutoscalingGroupInstanceRefreshPreferences = {
      minHealthyPercentage: props.minHealthyPercentage ?? 90,
      // The provider takes these durations as strings of seconds.
      instanceWarmup: props.instanceWarmupSeconds !== undefined ? String(props.instanceWarmupSeconds) : undefined,
      checkpointPercentages: checkpoints,
      checkpointDelay: props.checkpointDelaySeconds !== undefined ? String(props.checkpointDelaySeconds) : undefined,
      skipMatching: props.skipMatching ?? true,
      autoRollback: props.autoRollback ?? true,
      alarmSpecification: props.alarms && props.alarms.length > 0 ? { alarms: [...props.alarms] } : undefined,
    };
    this.resource = new AutoscalingGroup(this, 'group', {
      region: props.region,
      name: props.name,
      launchTemplate: {
        id: props.launchTemplateId,
        version: Token.isUnresolved(props.launchTemplateVersion) ? Token.asString(props.launchTemplateVersion) : String(props.launchTemplateVersion),
      },
      vpcZoneIdentifier: [...props.subnetIds],
      targetGroupArns: props.targetGroupArns && props.targetGroupArns.length > 0 ? [...props.targetGroupArns] : undefined,
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredCapacity: desired,
      healthCheckType: props.healthCheckType ?? 'EC2',
      healthCheckGracePeriod: props.healthCheckGracePeriodSeconds ?? 300,
      waitForCapacityTimeout: props.waitForCapacityTimeout,
      tag: tagMap
        ? tagMap.dynamic({ key: tagMap.key, value: tagMap.value, propagate_at_launch: true })
        : tags && Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      instanceRefresh: { strategy: 'Rolling', preferences },
      // Set at creation, then the group's own (scaling policies, operators): a plan never resets it.
      lifecycle: desired !== undefined ? { ignoreChanges: ['desired_capacity'] } : undefined,
    });
    this.groupName = this.resource.name;
    this.groupArn = this.resource.arn;
  }

  /** AWS stops a refresh at its last checkpoint: a list not ending at 100 would leave the rest of the group on the old version. */
  private checkpointPercentages(checkpoints: number[], fail: (what: string) => never): number[] {
    checkpoints.forEach((p, i) => {
      if (!Number.isInteger(p) || p < 1 || p > 100) fail(`checkpoints must be whole percentages 1..100, got ${p}`);
      if (i > 0 && p <= checkpoints[i - 1]) fail(`checkpoints must be ascending, got ${checkpoints.join(', ')}`);
    });
    return checkpoints[checkpoints.length - 1] === 100 ? [...checkpoints] : [...checkpoints, 100];
  }
}
