import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, synthesizedStacks, workdir } from './support/cli';
import { defaultWorld, startAwsDouble, type AwsDouble, type AwsWorld, type ImageRecord } from './support/aws-double';
import { eachLimited, planStack, terraformAsync, terraformCliConfig, type PlanResult } from './support/terraform-cli';

// The share stack's guards, planned against the AWS double: an image on the AWS managed key, or
// owned by another account, stops the plan with the guard's message. (What it creates when the
// factory owns the images is planned with the account stacks, in accounts-plan.test.ts.)

const FACTORY_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab';
const AWS_MANAGED_KEY_ID = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
const AWS_MANAGED_KEY = `arn:aws:kms:us-east-1:111122223333:key/${AWS_MANAGED_KEY_ID}`;
const SOURCE_IMAGES = ['ami-0aaaaaaaaaaaaaaaa', 'ami-0bbbbbbbbbbbbbbbb'];

/** The default world with the source images' snapshots encrypted as `change` says, per image. */
function worldWith(change: (image: ImageRecord) => Partial<ImageRecord>): AwsWorld {
  const world = defaultWorld();
  return {
    ...world,
    images: world.images.map((i) => (SOURCE_IMAGES.includes(i.imageId) ? { ...i, encrypted: true, kmsKeyId: FACTORY_KEY, ...change(i) } : i)),
    kmsKeys: [...world.kmsKeys, { region: 'us-east-1', keyId: AWS_MANAGED_KEY_ID, accountId: '111122223333', keyManager: 'AWS' }],
  };
}

const WORLDS: Record<string, AwsWorld> = {
  'aws-managed-key': worldWith((i) => (i.imageId === 'ami-0aaaaaaaaaaaaaaaa' ? { kmsKeyId: AWS_MANAGED_KEY } : {})),
  // An image another account shared with the factory: the factory can launch it, but cannot share it on.
  'other-owner': worldWith((i) => (i.imageId === 'ami-0aaaaaaaaaaaaaaaa' ? { ownerId: '999900001111', launchPermissions: ['111122223333'] } : {})),
};

describe('the share stack of a fleet with accounts, planned against the AWS double', () => {
  const doubles: Record<string, AwsDouble> = {};
  const plans: Record<string, PlanResult> = {};
  let validate: { code: number | null; output: string };

  beforeAll(async () => {
    terraformCliConfig();
    const project = workdir({ 'fleets/factory.yaml': readFileSync(join(ROOT, '__tests__', 'fixtures', 'accounts', 'factory.yaml'), 'utf8') });
    const stack = synthesizedStacks(project)['shop-share'];
    await eachLimited(Object.entries(WORLDS), 2, async ([name, world]) => {
      doubles[name] = await startAwsDouble(world);
      plans[name] = await planStack(stack, doubles[name].endpoint);
    });
    // The plan's working directory is initialized already: validate there costs no second init.
    const run = await terraformAsync(['validate', '-no-color'], plans['aws-managed-key'].dir);
    validate = { code: run.code, output: run.stdout + run.stderr };
  }, 600_000);

  afterAll(() => Promise.all(Object.values(doubles).map((d) => d.close())));

  it('passes terraform validate', () => {
    expect([validate.code, validate.output]).toEqual([0, expect.stringContaining('The configuration is valid')]);
  });

  it('asks the double only what it answers, in the source region, with the credentials\' own account', () => {
    const calls = doubles['aws-managed-key'].calls;
    expect(calls.filter((c) => c.unsupported)).toEqual([]);
    expect(new Set(calls.map((c) => c.region))).toEqual(new Set(['us-east-1']));
    expect(calls.map((c) => c.action)).toEqual(expect.arrayContaining(['DescribeSnapshots', 'DescribeKey', 'GetCallerIdentity']));
  });

  it('stops the plan when a source snapshot is on the AWS managed key: it cannot be shared', () => {
    const plan = plans['aws-managed-key'];
    expect(plan.code).toBe(1);
    expect(plan.diagnostics).toEqual([expect.stringContaining(
      `amifleet fleet shop, source image: its snapshots are encrypted with ${AWS_MANAGED_KEY}, an AWS managed key (aws/ebs), which cannot be shared with other accounts. Fix: copy the image re-encrypted with a customer managed key`)]);
  });

  it('stops the plan when the source image is owned by another account', () => {
    const plan = plans['other-owner'];
    expect(plan.code).toBe(1);
    expect(plan.diagnostics).toEqual([expect.stringContaining(
      'amifleet fleet shop, source image ami-0aaaaaaaaaaaaaaaa: it is owned by account 999900001111, not by the account of these credentials (111122223333)')]);
    expect(plan.diagnostics[0]).toContain('use source.lookup with that owner');
  });
});
