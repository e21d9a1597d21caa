import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, synthesizedStacks, workdir } from './support/cli';
import { defaultWorld, startAwsDouble, type AwsDouble, type AwsWorld } from './support/aws-double';
import { eachLimited, planStack, terraformAsync, terraformCliConfig, type PlanResult } from './support/terraform-cli';

// The accounts fixture's stacks, judged by Terraform (the "done when"): the share stack
// plans every permission and grant the accounts need; each account stack assumes its role (the
// AWS double's STS answers as that account), validates, and plans its copies with the account's
// key; and each account guard stops a plan with its message (a role landing in another account,
// a source image not shared with the account). share-plan.test.ts has the share stack's guards.

type Json = Record<string, unknown>;

const FACTORY = '111122223333';
const PROD = '444455556666';
const STAGING = '777788889999';
const UNSHARED = '121212121212';
const FACTORY_KEY = `arn:aws:kms:us-east-1:${FACTORY}:key/1234abcd-12ab-4cd5-9ef6-1234567890ab`;
const prodKey = (region: string, prefix: string) => ({ region, keyId: `${prefix}234abcd-12ab-4cd5-9ef6-1234567890ab`, accountId: PROD });

const BASE = defaultWorld();
const WORLD: AwsWorld = {
  ...BASE,
  // The factory's images, on its customer managed key, shared with both accounts (what the share stack grants).
  images: BASE.images.map((i) => (i.ownerId === FACTORY ? { ...i, encrypted: true, kmsKeyId: FACTORY_KEY, launchPermissions: [PROD, STAGING] } : i)),
  kmsKeys: [...BASE.kmsKeys, prodKey('us-east-1', '2'), prodKey('eu-west-1', '3')],
  // A role whose sessions land in another account than the entry that names it.
  roleAccounts: { [`arn:aws:iam::${UNSHARED}:role/amifleet-misrouted`]: '999900001111' },
};

/** A one-stack fleet (`layout: single`, one region) in one account, for a guard's case. */
const guardFleet = (fleet: string, account: string, role: string) => `fleet: ${fleet}
source: { region: us-east-1, ami: ami-0aaaaaaaaaaaaaaaa }
accounts:
  team:
    id: "${account}"
    roleArn: arn:aws:iam::${account}:role/${role}
    regions: { eu-west-1: {} }
launchTemplate: { instanceType: t3.micro }
layout: single
`;

const FLEETS: Record<string, string> = {
  'fleets/factory.yaml': readFileSync(join(ROOT, '__tests__', 'fixtures', 'accounts', 'factory.yaml'), 'utf8'),
  'fleets/misrouted.yaml': guardFleet('misrouted', UNSHARED, 'amifleet-misrouted'),
  'fleets/unshared.yaml': guardFleet('unshared', UNSHARED, 'amifleet-deploy'),
};

describe('account stacks plan against the AWS double', () => {
  let double: AwsDouble;
  let stacks: Record<string, Json>;
  const plans: Record<string, PlanResult & { validate: string }> = {};

  beforeAll(async () => {
    terraformCliConfig();
    stacks = synthesizedStacks(workdir(FLEETS));
    double = await startAwsDouble(WORLD);
    // Every stack of the factory fleet, and the one stack of each guard's case (not their share stacks).
    const planned = Object.entries(stacks).filter(([name]) => name.startsWith('shop-') || name.endsWith('-team'));
    await eachLimited(planned, 2, async ([name, stack]) => {
      const plan = await planStack(stack, double.endpoint, { show: name === 'shop-share' });
      const validate = await terraformAsync(['validate', '-no-color'], plan.dir);
      plans[name] = { ...plan, validate: validate.stdout + validate.stderr };
    });
  }, 900_000);

  afterAll(() => double?.close());

  const accountStacks = ['shop-prod-eu-west-1', 'shop-prod-us-east-1', 'shop-staging-eu-west-1', 'shop-staging-us-east-1'];

  it('synthesizes the share stack and an account stack per account and region', () => {
    expect(Object.keys(stacks).filter((s) => s.startsWith('shop-')).sort()).toEqual(['shop-share', ...accountStacks].sort());
  });

  it('the share stack validates and plans a launch permission per image and account, a create-volume permission per snapshot and account, a grant per key and account', () => {
    const plan = plans['shop-share'];
    expect(plan.validate).toContain('The configuration is valid');
    expect([plan.code, plan.diagnostics]).toEqual([0, []]);
    const created = (plan.changes ?? []).filter((c) => c.action === 'create').map((c) => c.address.replace(/_[0-9A-F]{8}\[/, '['));
    expect(created.sort()).toEqual([
      'aws_ami_launch_permission.sharing_ami-0aaaaaaaaaaaaaaaa_launch-permission["prod"]',
      'aws_ami_launch_permission.sharing_ami-0aaaaaaaaaaaaaaaa_launch-permission["staging"]',
      'aws_ami_launch_permission.sharing_ami-0bbbbbbbbbbbbbbbb_launch-permission["prod"]',
      'aws_ami_launch_permission.sharing_ami-0bbbbbbbbbbbbbbbb_launch-permission["staging"]',
      `aws_kms_grant.sharing_grant["${FACTORY_KEY}|prod"]`,
      `aws_kms_grant.sharing_grant["${FACTORY_KEY}|staging"]`,
      'aws_snapshot_create_volume_permission.sharing_ami-0aaaaaaaaaaaaaaaa_snapshot-permission["/dev/xvda|prod"]',
      'aws_snapshot_create_volume_permission.sharing_ami-0aaaaaaaaaaaaaaaa_snapshot-permission["/dev/xvda|staging"]',
      'aws_snapshot_create_volume_permission.sharing_ami-0bbbbbbbbbbbbbbbb_snapshot-permission["/dev/xvda|prod"]',
      'aws_snapshot_create_volume_permission.sharing_ami-0bbbbbbbbbbbbbbbb_snapshot-permission["/dev/xvda|staging"]',
    ]);
    expect((plan.changes ?? []).filter((c) => c.action !== 'create')).toEqual([]);
    // Each grant lets the account's role copy: the grantee and operations as planned.
    const grants = (plan.plan?.resource_changes ?? []).filter((c: Json) => c.type === 'aws_kms_grant')
      .map((c: Json) => (c.change as { after: Json }).after).map((a: Json) => [a.grantee_principal, [...(a.operations as string[])].sort()]);
    expect(grants).toEqual([PROD, STAGING].map((id) => [`arn:aws:iam::${id}:role/amifleet-deploy`,
      ['CreateGrant', 'Decrypt', 'DescribeKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo']]));
  });

  it('every account stack passes terraform validate and plans clean, creating its copies, launch template and group', () => {
    for (const name of accountStacks) {
      const plan = plans[name];
      expect([name, plan.validate]).toEqual([name, expect.stringContaining('The configuration is valid')]);
      expect([name, plan.code, plan.diagnostics]).toEqual([name, 0, []]);
      const created = (plan.changes ?? []).filter((c) => c.action === 'create').map((c) => c.address.split('.')[0]);
      expect([name, created]).toEqual([name, expect.arrayContaining(['aws_ami_copy', 'aws_launch_template', 'aws_autoscaling_group'])]);
    }
  });

  it('each account copies with its own key: prod with its key of the region, staging with its default EBS key', () => {
    const copyKeys = (name: string) => Object.values(((stacks[name].resource as Json).aws_ami_copy) as Record<string, Json>).map((c) => c.kms_key_id);
    expect(copyKeys('shop-prod-eu-west-1')).toEqual([`arn:aws:kms:eu-west-1:${PROD}:key/3234abcd-12ab-4cd5-9ef6-1234567890ab`,
      `arn:aws:kms:eu-west-1:${PROD}:key/3234abcd-12ab-4cd5-9ef6-1234567890ab`]);
    expect(copyKeys('shop-staging-us-east-1')).toEqual([undefined, undefined]);
  });

  it('the providers assumed each account\'s role, and the plans asked nothing the double does not answer', () => {
    const callers = (action: string) => [...new Set(double.calls.filter((c) => c.action === action).map((c) => c.account))].sort();
    // The credentials' own account assumes the roles and reads the source as its owner; each account checks it can read it.
    expect(callers('AssumeRole')).toEqual([FACTORY]);
    expect(callers('DescribeImages')).toEqual([FACTORY, PROD, UNSHARED, STAGING].sort());
    expect(callers('GetCallerIdentity')).toEqual([FACTORY, PROD, UNSHARED, STAGING, '999900001111'].sort());
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });

  it('a role whose session lands in another account than the entry\'s id stops the plan with the guard\'s message', () => {
    const plan = plans['misrouted-team'];
    expect(plan.code).toBe(1);
    expect(plan.diagnostics).toEqual([expect.stringContaining(`amifleet fleet misrouted, account team: assumed role arn:aws:iam::${UNSHARED}:role/amifleet-misrouted `
      + `is in account 999900001111, but accounts.team.id is ${UNSHARED}.`)]);
  });

  it('a source image not shared with the account stops the plan, naming the share stack to apply first', () => {
    const plan = plans['unshared-team'];
    expect(plan.code).toBe(1);
    expect(plan.diagnostics).toEqual([
      expect.stringContaining(`amifleet fleet unshared: ami-0aaaaaaaaaaaaaaaa is not readable from account team (${UNSHARED}): apply the share stack unshared-share first (or share it from its owner).`),
    ]);
  });
});
