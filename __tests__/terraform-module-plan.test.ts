import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { amifleet, ROOT, workdir } from './support/cli';
import { defaultWorld, startAwsDouble, type AwsDouble } from './support/aws-double';
import {
  adaptModuleDir, eachLimited, forPlan, moduleCaller, planStack, terraformAsync, terraformCliConfig, type PlanResult,
} from './support/terraform-cli';

// Terraform is the judge of `amifleet module` too: the module, as the command writes it, called
// from a root module (the provider-5 rewrite: moduleForProvider5, moduleCaller), validated and
// planned against the AWS double, with its defaults and with a source image that an image
// pipeline makes, known only after apply.

type Json = Record<string, unknown>;

/** A pinned image, shared with an account, so the copies have snapshot tags and snapshot permissions. */
const PINNED = `fleet: web
tags: { team: platform }
source:
  region: us-east-1
  ami: ami-0123456789abcdef0
regions:
  us-east-1: {}
  eu-west-1:
    kmsKeyId: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab
copy:
  shareWith:
    accounts: ["444455556666"]
launchTemplate:
  instanceType: t3.micro
suppress:
  shared-copy-without-kms-key: the test account's default EBS key is customer managed
`;

const FLEETS: Record<string, string> = {
  'fleets/web.yaml': PINNED,
  // Pins an image since deregistered (the double has none of that id).
  'fleets/gone.yaml': PINNED.replace('ami-0123456789abcdef0', 'ami-0eeeeeeeeeeeeeeee'),
  'fleets/lookup.yaml': readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8'),
};

// The fleet's image has a data volume, so keys by device are visible; the pipeline's images are single-volume.
const TWO_VOLUMES = { '/dev/xvda': 'snap-0123456789abcdef0', '/dev/xvdb': 'snap-0123456789abcdef1' };
const world = defaultWorld();
const WORLD = { ...world, images: world.images.map((i) => (i.imageId === 'ami-0123456789abcdef0' ? { ...i, snapshots: TWO_VOLUMES } : i)) };

/** An image pipeline's output: an id Terraform knows only once the pipeline resource exists. */
const PIPELINE = { resource: { terraform_data: { pipeline: { input: 'ami-0aaaaaaaaaaaaaaaa' } } } };

interface Call {
  readonly fleet: string;
  readonly module: string;
  readonly inputs?: Json;
  readonly root?: Json;
}

const INVALID_INPUT = 'pinned, no devices given as a list';

const CALLS: Record<string, Call> = {
  'pinned, defaults': { fleet: 'fleets/web.yaml', module: 'web' },
  'lookup, defaults': { fleet: 'fleets/lookup.yaml', module: 'web' },
  'pinned, source from a pipeline': { fleet: 'fleets/web.yaml', module: 'web', inputs: { source_image_id: '${terraform_data.pipeline.output}' }, root: PIPELINE },
  'fleet image gone, source from a pipeline, devices given': {
    fleet: 'fleets/gone.yaml', module: 'web', root: PIPELINE,
    inputs: { source_image_id: '${terraform_data.pipeline.output}', snapshot_device_names: ['/dev/sda1'] },
  },
  [INVALID_INPUT]: { fleet: 'fleets/web.yaml', module: 'web', inputs: { snapshot_device_names: [] } },
  'pinned, another single-volume image': { fleet: 'fleets/web.yaml', module: 'web', inputs: { source_image_id: 'ami-0bbbbbbbbbbbbbbbb' } },
  'pinned, another single-volume image, devices given': {
    fleet: 'fleets/web.yaml', module: 'web', inputs: { source_image_id: 'ami-0bbbbbbbbbbbbbbbb', snapshot_device_names: ['/dev/xvda'] },
  },
};

interface CallRun {
  readonly write: { code: number | null; stderr: string };
  readonly validate: { code: number | null; output: string };
  readonly plan?: PlanResult;
}

describe('a module from amifleet module, called from a root module: terraform validate and plan', () => {
  let double: AwsDouble;
  const runs: Record<string, CallRun> = {};

  beforeAll(async () => {
    terraformCliConfig();
    double = await startAwsDouble(WORLD);
    const project = workdir(FLEETS);
    await eachLimited(Object.entries(CALLS), 2, async ([name, call]) => {
      const dir = mkdtempSync(join(tmpdir(), 'amifleet-module-plan-'));
      const write = amifleet(['module', call.fleet, '--out', join(dir, 'modules', call.module)], project);
      if (write.code !== 0) {
        runs[name] = { write, validate: { code: null, output: '' } };
        return;
      }
      const root = moduleCaller(call.module, adaptModuleDir(join(dir, 'modules', call.module)), call.inputs, call.root);
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(forPlan(root, double.endpoint), null, 2));
      const init = await terraformAsync(['init', '-input=false', '-no-color'], dir);
      const validate = init.code === 0 ? await terraformAsync(['validate', '-no-color'], dir) : init;
      const plan = validate.code === 0 ? await planStack(root, double.endpoint, { dir }) : undefined;
      runs[name] = { write, validate: { code: validate.code, output: validate.stdout + validate.stderr }, plan };
    });
  }, 900_000);

  afterAll(() => double?.close());

  const instances = (name: string, type: string): string[] => (runs[name].plan?.changes ?? [])
    .filter((c) => c.action === 'create' && c.address.startsWith(`module.web.${type}.`))
    .map((c) => c.address.replace(/^module\.web\.[a-z0-9_]+\.[^[]+/, '')).sort();

  it('amifleet writes every module, and each passes terraform validate called from a root module', () => {
    for (const [name, run] of Object.entries(runs)) {
      expect([name, run.write.code, run.write.stderr]).toEqual([name, 0, '']);
      if (name === INVALID_INPUT) continue;
      expect([name, run.validate.code, run.validate.output]).toEqual([name, 0, expect.stringContaining('The configuration is valid')]);
    }
  });

  it('with its defaults, the module plans its copies, launch templates, snapshot tags and snapshot permissions', () => {
    for (const name of ['pinned, defaults', 'lookup, defaults']) {
      const { plan } = runs[name];
      expect([name, plan?.code, plan?.diagnostics]).toEqual([name, 0, []]);
      expect([name, instances(name, 'aws_ami_copy').length, instances(name, 'aws_launch_template').length])
        .toEqual([name, ...(name.startsWith('lookup') ? [3, 3] : [2, 2])]);
    }
    // The fleet's image has snapshots on /dev/xvda and /dev/xvdb: each gets every tag, and the account's permission.
    expect(instances('pinned, defaults', 'aws_snapshot_create_volume_permission'))
      .toEqual(['["/dev/xvda|444455556666"]', '["/dev/xvda|444455556666"]', '["/dev/xvdb|444455556666"]', '["/dev/xvdb|444455556666"]']);
    expect(instances('pinned, defaults', 'aws_ec2_tag')).toEqual(['Fleet', 'ManagedBy', 'team']
      .flatMap((tag) => ['/dev/xvda', '/dev/xvdb'].flatMap((device) => [`["${device}|${tag}"]`, `["${device}|${tag}"]`])).sort());
    // Amazon Linux (the lookup) has one snapshot, on /dev/xvda: 4 tags in each region, eu-west-1's region-owner too.
    expect(instances('lookup, defaults', 'aws_ec2_tag')).toHaveLength(4 + 5 + 4);
    expect(instances('lookup, defaults', 'aws_ec2_tag').every((key) => key.startsWith('["/dev/xvda|'))).toBe(true);
  });

  it('with source_image_id known only after apply, it plans, keyed by the fleet image\'s devices', () => {
    const name = 'pinned, source from a pipeline';
    const { plan } = runs[name];
    expect([plan?.code, plan?.diagnostics]).toEqual([0, []]);
    expect(instances(name, 'aws_ami_copy')).toHaveLength(2);
    expect(instances(name, 'aws_snapshot_create_volume_permission'))
      .toEqual(['["/dev/xvda|444455556666"]', '["/dev/xvda|444455556666"]', '["/dev/xvdb|444455556666"]', '["/dev/xvdb|444455556666"]']);
    expect(instances(name, 'aws_ec2_tag')).toHaveLength(2 * 2 * 3);
  });

  it('with source_image_id known only after apply and snapshot_device_names given, it plans, keyed by those, without the fleet file\'s image', () => {
    const name = 'fleet image gone, source from a pipeline, devices given';
    const { plan } = runs[name];
    expect([plan?.code, plan?.diagnostics]).toEqual([0, []]);
    expect(instances(name, 'aws_snapshot_create_volume_permission')).toEqual(['["/dev/sda1|444455556666"]', '["/dev/sda1|444455556666"]']);
    expect(instances(name, 'aws_ec2_tag')).toEqual(['Fleet', 'ManagedBy', 'team'].flatMap((tag) => [`["/dev/sda1|${tag}"]`, `["/dev/sda1|${tag}"]`]).sort());
  });

  it('a source image known at plan whose devices differ from the keys stops the plan, saying which input fixes it', () => {
    const { plan } = runs['pinned, another single-volume image'];
    expect(plan?.code).toBe(1);
    expect(plan?.diagnostics).toEqual(expect.arrayContaining([expect.stringMatching(
      /^error: Resource precondition failed: amifleet fleet web, region (us-east-1|eu-west-1): .*snapshot_device_names.*\["\/dev\/xvda"\]/)]));
    const fixed = runs['pinned, another single-volume image, devices given'];
    expect([fixed.plan?.code, fixed.plan?.diagnostics]).toEqual([0, []]);
    expect(instances('pinned, another single-volume image, devices given', 'aws_snapshot_create_volume_permission'))
      .toEqual(['["/dev/xvda|444455556666"]', '["/dev/xvda|444455556666"]']);
  });

  it('snapshot_device_names is null or names devices: terraform validate refuses an empty list', () => {
    const { validate } = runs[INVALID_INPUT];
    expect(validate.code).toBe(1);
    expect(validate.output).toContain('Error: Invalid value for variable');
    expect(validate.output.replace(/\s+/g, ' ')).toContain('snapshot_device_names must be null (the devices of the fleet file\'s image) or a non-empty list of device names such as "/dev/xvda".');
  });

  it('the plans asked AWS for nothing the double does not answer', () => {
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });
});
