import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { formatDiagnostic } from '../loader/diagnostic';
import { parseFleetText } from '../loader/load-fleet';
import type { FleetInput } from '../modules/fleet/fleet-spec';
import { validateFleet } from '../modules/fleet/fleet-validation';
import { amifleet, ROOT, workdir } from './support/cli';

// The checks of rollouts, previous images, moving sources and Auto Scaling groups (README: Validation).

const AMI = 'ami-0aaaaaaaaaaaaaaaa';
const PREVIOUS = 'ami-0bbbbbbbbbbbbbbbb';
const KMS = (region: string) => `arn:aws:kms:${region}:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab`;
const TARGET_GROUP = (region: string, partition = 'aws') => `arn:${partition}:elasticloadbalancing:${region}:111122223333:targetgroup/shop/0123456789abcdef`;
const ROLLOUT_FIXTURE = join(__dirname, 'fixtures', 'valid', 'rollout.yaml');

/** A pinned fleet with a previous image in us-east-1, eu-west-1 and eu-central-1; tests override what they are about. */
function shop(overrides: Partial<FleetInput> = {}): FleetInput {
  return {
    fleet: 'shop',
    source: { region: 'us-east-1', ami: AMI, previous: [PREVIOUS] },
    regions: { 'us-east-1': {}, 'eu-west-1': { kmsKeyId: KMS('eu-west-1') }, 'eu-central-1': {} },
    launchTemplate: { instanceType: 't3.micro' },
    ...overrides,
  };
}

/** A fleet with `autoScaling`, every region with a subnet. */
function scaled(autoScaling: Record<string, unknown> = {}, regions?: FleetInput['regions']): FleetInput {
  return shop({
    regions: regions ?? { 'us-east-1': { subnetIds: ['subnet-0a1b2c3d4e5f60718'] }, 'eu-west-1': { subnetIds: ['subnet-1a1b2c3d4e5f60718'] } },
    autoScaling: { minSize: 2, maxSize: 6, ...autoScaling } as FleetInput['autoScaling'],
  });
}

/** What `amifleet validate` prints for a fleet written as YAML, without the file name. */
function printed(fleet: FleetInput | Record<string, unknown>): string[] {
  return parseFleetText('shop.yaml', stringify(fleet)).diagnostics.map((d) => formatDiagnostic(d).replace(/^shop\.yaml:/, ''));
}

/** Path, message and rule of each finding, without positions. */
function found(fleet: FleetInput | Record<string, unknown>): string[] {
  return parseFleetText('shop.yaml', JSON.stringify(fleet)).diagnostics.map((d) => `${d.path}: ${d.message}${d.suggestion ? ` (${d.suggestion})` : ''}`);
}

describe('the rollout fixture (__tests__/fixtures/valid/rollout.yaml)', () => {
  it('validates with no error and no warning', () => {
    const r = amifleet(['validate', '--strict', ROLLOUT_FIXTURE]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '1 fleet valid\n', '']);
  });
});

describe('rollout.waves', () => {
  it('"*" twice in the last wave: the second is reported', () => {
    expect(printed(shop({ rollout: { waves: [['us-east-1'], ['*', '*']] } }))).toEqual([
      '18:9: rollout.waves[1][1]: "*" again: one already stands for every region not named before (remove this one)',
    ]);
  });

  it('a region in the same wave twice is reported too, and an unknown name without a close one asks to add it', () => {
    expect(found(shop({ rollout: { waves: [['us-east-1', 'us-east-1'], ['ap-south-2'], ['*']] } }))).toEqual([
      'rollout.waves[0][1]: us-east-1 is in wave 1 already: a region launches one image at a time, so it is in one wave (remove it from one of them)',
      'rollout.waves[1][0]: ap-south-2 is not a region of this fleet (its regions: eu-central-1, eu-west-1, us-east-1) (add ap-south-2 to regions, or remove it here)',
    ]);
  });

  it('names every region missing from the waves, at rollout.waves', () => {
    expect(found(shop({ rollout: { waves: [['eu-west-1']] } }))).toEqual([
      'rollout.waves: eu-central-1, us-east-1 are in no wave, so no release would ever reach them (add them to a wave, or end the waves with ["*"])',
    ]);
  });

  it('are still checked when the schema rejects fields of autoScaling, and so are its subnets', () => {
    for (const autoScaling of [{ minSize: 'two', maxSize: 2 }, {}]) {
      const v = validateFleet({ ...shop({ rollout: { waves: [['us-east-1'], ['us-east-1', '*']] } }), autoScaling });
      expect(v.schemaIssues.length).toBeGreaterThan(0);
      expect(v.ruleIssues.map((i) => [i.rule, i.path.join('.')])).toEqual([
        ['rollout-waves-invalid', 'rollout.waves.1.0'],
        ...['us-east-1', 'eu-west-1', 'eu-central-1'].map((r) => ['auto-scaling-without-subnets', `regions.${r}`]),
      ]);
    }
  });
});

describe('rollout.promoted and source.previous', () => {
  it('promoted above the single wave of a fleet without waves', () => {
    expect(found(shop({ rollout: { promoted: 2 } }))).toEqual([
      'rollout.promoted: 2 waves promoted, but the rollout has 1 wave (no waves listed: every region in one) (at most 1: waves 1..promoted launch source.ami, 0 rolls every wave back)',
    ]);
  });

  it('several waves, all promoted, still need a previous image', () => {
    const fleet = shop({ rollout: { waves: [['us-east-1'], ['*']] } });
    fleet.source = { region: 'us-east-1', ami: AMI };
    expect(found(fleet)).toEqual([
      'rollout.waves: a rollout of 2 waves needs source.previous: the image the later waves keep launching until they are promoted, and go back to on a rollback (add the image the fleet launched before to source.previous (amifleet release --ami <id> does it))',
    ]);
  });

  it('a rollback without a previous image', () => {
    const fleet = shop({ rollout: { promoted: 0 } });
    fleet.source = { region: 'us-east-1', ami: AMI };
    expect(found(fleet)).toEqual([
      'rollout.promoted: a rollback (promoted: 0) launches source.previous[0] in every wave, but source.previous is empty (add the image those regions launch now to source.previous, or promote every wave with promoted: 1)',
    ]);
  });

  it('waves with a lookup source: the rollout and the previous images each ask for a pinned ami', () => {
    const fleet = shop({ rollout: { waves: [['us-east-1'], ['*']] }, layout: 'single' });
    fleet.source = { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-2023.*-x86_64' }, previous: [PREVIOUS] };
    expect(found(fleet)).toEqual([
      'source.previous: older images are kept beside a pinned source.ami, but the source is a lookup, which resolves the newest image at each plan (pin it with amifleet release <file> --ami <id>)',
      'rollout.waves: a rollout of 2 waves needs a pinned source.ami: the lookup resolves the newest image at each stack\'s plan, so no wave can stay on an older one (pin it with amifleet release <file> --ami <id>)',
    ]);
  });

  it('an image twice in previous, at the second', () => {
    const fleet = shop();
    fleet.source = { region: 'us-east-1', ami: AMI, previous: [PREVIOUS, 'ami-0cccccccccccccccc', PREVIOUS] };
    expect(printed(fleet)).toEqual([
      '8:7: source.previous[2]: the image ami-0bbbbbbbbbbbbbbbb again: it is item 1 of the list already (remove this one)',
    ]);
  });

  it('a region adopting an image in a fleet with a rollout but no previous images', () => {
    const fleet = shop({ rollout: { promoted: 1 }, regions: { 'us-east-1': { adopt: { image: 'ami-0cccccccccccccccc' } } } });
    fleet.source = { region: 'us-east-1', ami: AMI };
    expect(found(fleet)).toEqual([
      'regions.us-east-1.adopt.image: us-east-1 launches this image as is, whatever its wave, so it takes no part in the rollout that rollout sets up (remove adopt.image to give us-east-1 copies of the source images, or remove rollout)',
    ]);
  });
});

describe('autoScaling', () => {
  it('an empty subnetIds list, at the list', () => {
    expect(found(scaled({}, { 'us-east-1': { subnetIds: [] } }))).toEqual([
      'regions.us-east-1.subnetIds: lists no subnets, but autoScaling gives us-east-1 an Auto Scaling group, which launches its instances in the region\'s subnets (add subnetIds: [subnet-...], subnets of us-east-1 in the Availability Zones the group spreads over)',
    ]);
  });

  it('regions without subnets are fine without autoScaling', () => {
    expect(found(shop({ regions: { 'us-east-1': { subnetIds: [] }, 'eu-west-1': {} } }))).toEqual([]);
  });

  it('desiredCapacity outside minSize..maxSize', () => {
    expect(printed(scaled({ desiredCapacity: 8 }))).toEqual([
      '19:20: autoScaling.desiredCapacity: 8 is outside minSize..maxSize (2..6): AWS refuses the group (set it within them, or leave it out to start at minSize)',
    ]);
    expect(found(scaled({ desiredCapacity: 1 }))).toHaveLength(1);
    expect(found(scaled({ desiredCapacity: 2 }))).toEqual([]);
  });

  it('a rejected maxSize is not compared with minSize', () => {
    expect(found(scaled({ minSize: 3, maxSize: -1, desiredCapacity: 1 }))).toEqual([
      'autoScaling.maxSize: must be at least 0',
      'autoScaling.desiredCapacity: 1 is outside minSize..maxSize (3..?): AWS refuses the group (set it within them, or leave it out to start at minSize)',
    ]);
  });

  it('target group ARNs: a name, a load balancer, a short id; each part explained', () => {
    const arns = ['shop', 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/0123456789abcdef',
      'arn:aws:elasticloadbalancing:us-east-1:1111:targetgroup/shop/0123'];
    expect(found(scaled({}, { 'us-east-1': { subnetIds: ['subnet-0a1b2c3d4e5f60718'], targetGroupArns: arns } }))).toEqual([
      'regions.us-east-1.targetGroupArns[0]: shop: a target group name, not its ARN (write arn:<partition>:elasticloadbalancing:<region>:<account id>:targetgroup/shop/<id>, as aws elbv2 describe-target-groups shows it)',
      'regions.us-east-1.targetGroupArns[1]: arn:aws:elasticloadbalancing:…:loadbalancer/app/shop/0123456789abcdef: a load balancer, not a target group (the group registers its instances with the load balancer\'s target groups: targetgroup/<name>/<id>)',
      'regions.us-east-1.targetGroupArns[2]: arn:aws:elasticloadbalancing:…:1111:…: not an account id (the 12 digits of the account that owns the target group)',
      'regions.us-east-1.targetGroupArns[2]: arn:aws:elasticloadbalancing:…:targetgroup/shop/0123: not a target group id (16 lowercase hex digits after the name)',
    ]);
  });

  it('a target group of another partition, and a repeated one', () => {
    const arns = [TARGET_GROUP('us-east-1', 'aws-cn'), TARGET_GROUP('us-east-1'), TARGET_GROUP('us-east-1')];
    expect(found(scaled({}, { 'us-east-1': { subnetIds: ['subnet-0a1b2c3d4e5f60718'], targetGroupArns: arns } }))).toEqual([
      'regions.us-east-1.targetGroupArns[0]: is an ARN in partition aws-cn, but us-east-1 is in aws (write arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop/0123456789abcdef)',
      `regions.us-east-1.targetGroupArns[2]: the target group ${TARGET_GROUP('us-east-1')} again: it is item 2 of the list already (remove this one)`,
    ]);
  });

  it('a repeated alarm, and more than 10', () => {
    expect(found(scaled({ instanceRefresh: { alarms: ['shop-5xx', 'shop-latency', 'shop-5xx'] } }))).toEqual([
      'autoScaling.instanceRefresh.alarms[2]: the alarm shop-5xx again: it is item 1 of the list already (remove this one)',
    ]);
    expect(found(scaled({ instanceRefresh: { alarms: Array.from({ length: 11 }, (_, i) => `alarm-${i}`) } }))).toEqual([
      'autoScaling.instanceRefresh.alarms: may name at most 10 alarms (StartInstanceRefresh takes 10)',
    ]);
    expect(found(scaled({ instanceRefresh: { alarms: ['x'.repeat(256)] } }))).toEqual([
      'autoScaling.instanceRefresh.alarms[0]: must be at most 255 characters long (CloudWatch alarm names are)',
    ]);
  });
});

describe('health-check-without-load-balancer (a warning)', () => {
  const elb = (regions: FleetInput['regions']) => scaled({ healthCheckType: 'ELB' }, regions);
  const subnet = { subnetIds: ['subnet-0a1b2c3d4e5f60718'] };

  it('names the regions without target groups, at healthCheckType', () => {
    expect(printed(elb({ 'us-east-1': { ...subnet, targetGroupArns: [TARGET_GROUP('us-east-1')] }, 'eu-west-1': subnet, 'eu-central-1': subnet }))).toEqual([
      '21:20: warning: autoScaling.healthCheckType: ELB health checks come from a load balancer, but the groups of eu-central-1, eu-west-1 register with no target group: '
        + 'nothing but EC2 status checks ever finds an instance unhealthy there (add targetGroupArns to those regions, or use healthCheckType: EC2) [health-check-without-load-balancer]',
    ]);
  });

  it('is silent for EC2 health checks, and when every region has a target group', () => {
    expect(found(scaled({}, { 'us-east-1': subnet }))).toEqual([]);
    expect(found(elb({ 'us-east-1': { ...subnet, targetGroupArns: [TARGET_GROUP('us-east-1')] } }))).toEqual([]);
  });
});

describe('unpinned-source-across-stacks (a warning)', () => {
  const lookup = { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-2023.*-x86_64' } };
  const ssm = { region: 'us-east-1', ssmParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' };

  it('is reported at the lookup of a fleet of several region stacks', () => {
    expect(printed(shop({ source: lookup }))).toEqual([
      '5:5: warning: source.lookup: each of the 3 region stacks resolves the newest image at its own plan, so an image published between two plans puts regions on different images, '
        + 'one of them untested anywhere else (pin it with amifleet release <file> --ami <id>, or use layout: single, whose one stack resolves it once) [unpinned-source-across-stacks]',
    ]);
    expect(found(shop({ source: ssm }))).toEqual([expect.stringMatching(/^source\.ssmParameter: each of the 3 region stacks/)]);
  });

  it('is silent for a pinned image, one region, one stack, or a single region that resolves (the others adopt)', () => {
    expect(found(shop())).toEqual([]);
    expect(found(shop({ source: lookup, regions: { 'eu-west-1': {} } }))).toEqual([]);
    expect(found(shop({ source: lookup, layout: 'single' }))).toEqual([]);
    expect(found(shop({ source: lookup, regions: { 'eu-west-1': {}, 'us-east-1': { adopt: { image: 'ami-0cccccccccccccccc' } } } }))).toEqual([]);
  });

  it('the bundled example accepts it with a reason, so `amifleet validate fleets --strict` passes', () => {
    const r = amifleet(['validate', '--strict', 'fleets']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8')).toMatch(/^ {2}unpinned-source-across-stacks: \S/m);
  });

  it('fails `validate --strict` on a fleet that does not say why', () => {
    const dir = workdir({ 'shop.yaml': stringify(shop({ source: lookup })) });
    const r = amifleet(['validate', '--strict', join(dir, 'shop.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'shop.yaml')}:5:5: warning: source.lookup: each of the 3 region stacks`);
  });
});

describe('every mistake of a rollout at once', () => {
  it('waves, promoted, previous, sizes and checkpoints come out together', () => {
    const fleet = {
      ...shop({ rollout: { waves: [['us-east-1'], ['*'], ['eu-west-1']], promoted: 4 } }),
      source: { region: 'us-east-1', ami: AMI, previous: [AMI] },
      autoScaling: { minSize: 4, maxSize: 2, instanceRefresh: { checkpoints: [50, 20], alarms: ['a\u0000'] } },
    };
    expect(found(fleet).map((f) => f.split(':')[0]).sort()).toEqual([
      'source.previous[0]', 'rollout.waves[1][0]', 'rollout.promoted',
      'autoScaling.minSize', 'autoScaling.instanceRefresh.checkpoints[1]', 'autoScaling.instanceRefresh.alarms[0]',
      'regions.us-east-1', 'regions.eu-west-1', 'regions.eu-central-1',
    ].sort());
  });
});

// Property tests over small fleets: every run is a validation in process (no synth), so they stay cheap.
const RUNS = 200;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];
const regionsOf = (names: readonly string[]) => Object.fromEntries(names.map((r) => [r, {}]));
const ruleErrors = (fleet: FleetInput) => {
  const v = validateFleet(fleet);
  return [...v.schemaIssues.map((i) => `${i.path.join('.')}: ${i.message}`), ...v.ruleIssues.filter((i) => i.severity === 'error').map((i) => `${i.path.join('.')}: ${i.message}`)];
};

/** A fleet's regions split into waves in any order, maybe with the last regions left to a final ["*"]. */
const wavesOfRegions = fc.shuffledSubarray(REGIONS, { minLength: 1 }).chain((names) => fc.tuple(
  fc.constant(names),
  fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
  fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
  fc.nat({ max: names.length }),
)).map(([names, order, breaks, leftToStar]) => {
  const named = order.slice(0, order.length - leftToStar);
  const waves: string[][] = [];
  named.forEach((r, i) => (i === 0 || breaks[i] ? waves.push([r]) : waves[waves.length - 1].push(r)));
  if (leftToStar > 0 || waves.length === 0) waves.push(['*']);
  return { names, waves };
});

describe('property: rollout.waves', () => {
  it('any split of the fleet\'s regions into waves, in any order, validates', () => {
    fc.assert(fc.property(wavesOfRegions, ({ names, waves }) => {
      expect(ruleErrors(shop({ regions: regionsOf(names), rollout: { waves } }))).toEqual([]);
    }), { numRuns: RUNS });
  });

  it('a region placed again is reported once, at the second place', () => {
    fc.assert(fc.property(wavesOfRegions, fc.nat(), fc.nat(), ({ names, waves }, pick, into) => {
      const region = names[pick % names.length];
      const wave = into % waves.length;
      const firstWave = waves.findIndex((w) => w.includes(region));
      fc.pre(firstWave !== -1);
      // The copy goes into a wave after the first place, or at the end of the same wave.
      const target = Math.max(wave, firstWave);
      const placed = waves.map((w, i) => (i === target ? [...w.filter((r) => r !== '*'), region, ...w.filter((r) => r === '*')] : w));
      const second = placed[target].indexOf(region, target === firstWave ? placed[target].indexOf(region) + 1 : 0);
      const errors = ruleErrors(shop({ regions: regionsOf(names), rollout: { waves: placed } }));
      expect(errors).toEqual([`rollout.waves.${target}.${second}: ${region} is in wave ${firstWave + 1} already: a region launches one image at a time, so it is in one wave`]);
    }), { numRuns: RUNS });
  });
});

describe('property: rollout.promoted', () => {
  it('is accepted from 0 to the number of waves with a previous image, and refused above', () => {
    fc.assert(fc.property(wavesOfRegions, fc.integer({ min: 0, max: 10 }), ({ names, waves }, promoted) => {
      const errors = ruleErrors(shop({ regions: regionsOf(names), rollout: { waves, promoted } }));
      expect(errors).toEqual(promoted <= waves.length ? [] : [`rollout.promoted: ${promoted} waves promoted, but the rollout has ${waves.length === 1 ? '1 wave (no waves listed: every region in one)' : `${waves.length} waves`}`]);
    }), { numRuns: RUNS });
  });

  it('below the wave count needs a previous image; with every wave promoted and one wave, nothing', () => {
    fc.assert(fc.property(wavesOfRegions, fc.integer({ min: 0, max: 6 }), ({ names, waves }, promoted) => {
      fc.pre(promoted <= waves.length);
      const fleet = shop({ regions: regionsOf(names), rollout: { waves, promoted } });
      fleet.source = { region: 'us-east-1', ami: AMI };
      const errors = ruleErrors(fleet);
      expect(errors.length).toBe(promoted < waves.length || waves.length > 1 ? 1 : 0);
    }), { numRuns: RUNS });
  });
});

describe('property: instance refresh checkpoints', () => {
  it('are accepted if and only if strictly ascending', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }), (checkpoints) => {
      const ascending = checkpoints.every((c, i) => i === 0 || c > checkpoints[i - 1]);
      const errors = ruleErrors(scaled({ instanceRefresh: { checkpoints, checkpointDelaySeconds: 60 } }));
      if (ascending) expect(errors).toEqual([]);
      else expect(errors).toEqual([expect.stringMatching(/^autoScaling\.instanceRefresh\.checkpoints\.\d+: \d+ follows \d+: /)]);
    }), { numRuns: RUNS });
  });
});

describe('property: Auto Scaling sizes', () => {
  it('are accepted if and only if minSize <= desiredCapacity <= maxSize', () => {
    const size = fc.integer({ min: 0, max: 8 });
    fc.assert(fc.property(size, size, fc.option(size, { nil: undefined }), (minSize, maxSize, desiredCapacity) => {
      const errors = ruleErrors(scaled({ minSize, maxSize, ...(desiredCapacity === undefined ? {} : { desiredCapacity }) }));
      const valid = minSize <= maxSize && (desiredCapacity === undefined || (minSize <= desiredCapacity && desiredCapacity <= maxSize));
      expect(errors.length).toBe(valid ? 0 : 1);
    }), { numRuns: RUNS });
  });
});
