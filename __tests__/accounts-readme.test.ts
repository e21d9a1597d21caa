import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import * as ec2 from '@aws-sdk/client-ec2';
import { addFleetStacks } from '../modules/constructs/fleet-app';
import { assumeRoleSessionName } from '../modules/fleet/fleet-accounts';
import { loadFleets } from '../loader/load-fleets';
import { amifleet, ROOT } from './support/cli';

// The README's Accounts section is text users paste into IAM: its policies must parse, name only
// real actions, and allow what the account stacks amifleet synthesizes actually create and read.

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ACCOUNTS = README.slice(README.indexOf('\n## Accounts\n'), README.indexOf('\n## ', README.indexOf('\n## Accounts\n') + 1));
const FACTORY = '__tests__/fixtures/accounts/factory.yaml';

/** The fenced block right after the HTML comment that contains `marker`. */
function blockAfter(marker: string): string {
  const at = ACCOUNTS.indexOf(marker);
  if (at < 0) throw new Error(`no "${marker}" in the README's Accounts section`);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(ACCOUNTS.slice(at));
  if (!block) throw new Error(`no code block after "${marker}"`);
  return block[1];
}

interface Statement { Effect: string; Action: string | string[]; Resource?: string | string[]; Condition?: Record<string, Record<string, string>> }
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/**
 * IAM actions outside EC2 that the README may name, each from the AWS Service Authorization
 * Reference (docs.aws.amazon.com/service-authorization/latest/reference/): EC2's are checked
 * against the commands of @aws-sdk/client-ec2, whose API operations are EC2's IAM actions.
 */
const CITED_ACTIONS: Record<string, readonly string[]> = {
  // list_amazonec2autoscaling.html
  autoscaling: [
    'CreateAutoScalingGroup', 'UpdateAutoScalingGroup', 'DeleteAutoScalingGroup', 'CreateOrUpdateTags', 'DeleteTags',
    'AttachLoadBalancerTargetGroups', 'DetachLoadBalancerTargetGroups', 'StartInstanceRefresh', 'CancelInstanceRefresh',
    'DescribeAutoScalingGroups', 'DescribeInstanceRefreshes', 'DescribeScalingActivities', 'DescribeLoadBalancerTargetGroups',
    'DescribeLifecycleHooks', 'DescribeTags',
  ],
  // list_awssystemsmanager.html
  ssm: ['PutParameter', 'GetParameter', 'GetParameters', 'DescribeParameters', 'DeleteParameter', 'AddTagsToResource', 'RemoveTagsFromResource', 'ListTagsForResource'],
  // list_awskeymanagementservice.html
  kms: ['DescribeKey', 'CreateGrant', 'Decrypt', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'],
  // list_awsidentityandaccessmanagementiam.html
  iam: ['CreateServiceLinkedRole', 'PassRole'],
  // list_awssecuritytokenservice.html
  sts: ['AssumeRole'],
};

const EC2_ACTIONS = Object.keys(ec2).filter((k) => k.endsWith('Command') && k !== 'Command').map((k) => k.slice(0, -'Command'.length));

/** Every real action `pattern` (`ec2:Describe*` or `ec2:CopyImage`) stands for; none when it names no real action. */
function realActions(pattern: string): string[] {
  const [service, name] = pattern.split(':');
  const known = service === 'ec2' ? EC2_ACTIONS : CITED_ACTIONS[service] ?? [];
  const glob = new RegExp(`^${name.replace(/\*/g, '.*')}$`);
  return known.filter((a) => glob.test(a)).map((a) => `${service}:${a}`);
}

/** What Terraform calls in the target account for each resource and data source of an account stack (hashicorp/aws). */
const RESOURCE_ACTIONS: Record<string, readonly string[]> = {
  aws_ami_copy: ['ec2:CopyImage', 'ec2:CreateTags', 'ec2:DescribeImages', 'ec2:DeregisterImage', 'ec2:DeleteSnapshot'],
  aws_ec2_tag: ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeTags'],
  aws_launch_template: ['ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate', 'ec2:DeleteLaunchTemplate', 'ec2:DescribeLaunchTemplateVersions'],
  aws_autoscaling_group: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup', 'autoscaling:DeleteAutoScalingGroup', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:StartInstanceRefresh', 'ec2:RunInstances'],
  aws_ssm_parameter: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:DeleteParameter', 'ssm:AddTagsToResource', 'ssm:ListTagsForResource', 'ec2:DescribeImages'],
  'data.aws_ami': ['ec2:DescribeImages'],
  'data.aws_ami_ids': ['ec2:DescribeImages'],
  'data.aws_ec2_instance_type_offerings': ['ec2:DescribeInstanceTypeOfferings'],
  'data.aws_ec2_instance_types': ['ec2:DescribeInstanceTypes'],
  'data.aws_kms_key': ['kms:DescribeKey'],
  'data.aws_launch_template': ['ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions'],
  'data.aws_ssm_parameter': ['ssm:GetParameter'],
  // sts:GetCallerIdentity needs no permission: IAM cannot deny it.
  'data.aws_caller_identity': [],
};

describe('README, Accounts: the target account role policy', () => {
  const policy = JSON.parse(blockAfter('the role policy that')) as { Version: string; Statement: Statement[] };
  const allowed = policy.Statement.flatMap(actionsOf);

  it('is a 2012-10-17 policy of Allow statements', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.length).toBeGreaterThan(0);
    for (const s of policy.Statement) expect([s.Effect, typeof s.Resource === 'string' || Array.isArray(s.Resource)]).toEqual(['Allow', true]);
  });

  it('names only real actions: EC2 operations of the AWS SDK, and cited actions of the other services', () => {
    expect(EC2_ACTIONS).toContain('CopyImage');
    expect(allowed.filter((a) => realActions(a).length === 0)).toEqual([]);
  });

  it('allows every call Terraform makes in the account for what the factory fleet\'s account stacks hold, publishing included', () => {
    const { fleet } = loadFleets([join(ROOT, FACTORY)]).fleets[0];
    const app = Testing.app();
    const stacks = addFleetStacks(app, { ...fleet, publish: { ssmParameter: '/amifleet/shop/ami-id' } })
      .filter((s) => s.node.id !== 'shop-share');
    const types = new Set<string>();
    for (const stack of stacks) {
      const json = JSON.parse(Testing.synth(stack)) as { resource?: Record<string, unknown>; data?: Record<string, unknown> };
      for (const type of Object.keys(json.resource ?? {})) types.add(type);
      for (const type of Object.keys(json.data ?? {})) types.add(`data.${type}`);
    }
    expect([...types].filter((t) => RESOURCE_ACTIONS[t] === undefined)).toEqual([]);
    const granted = new Set(allowed.flatMap(realActions));
    const needed = [...new Set([...types].flatMap((t) => RESOURCE_ACTIONS[t]))];
    expect(needed).toEqual(expect.arrayContaining(['ec2:CopyImage', 'ec2:CreateLaunchTemplate', 'autoscaling:CreateAutoScalingGroup', 'ssm:PutParameter']));
    expect(needed.filter((a) => !granted.has(a))).toEqual([]);
  });

  it('gives the account\'s own keys and the source key what a cross-account encrypted copy needs', () => {
    const kms = ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];
    const onKey = (account: string) => policy.Statement.filter((s) => [s.Resource].flat().some((r) => String(r).startsWith(`arn:aws:kms:us-east-1:${account}:key/`)));
    for (const account of ['444455556666', '111122223333']) expect(onKey(account).flatMap(actionsOf).sort()).toEqual(kms);
  });
});

describe('README, Accounts: the role trust policy', () => {
  const trust = JSON.parse(blockAfter('the trust policy that')) as { Version: string; Statement: (Statement & { Principal: { AWS: string } })[] };

  it('lets one principal of the factory account assume the role, under the session name amifleet uses', () => {
    expect(trust.Version).toBe('2012-10-17');
    expect(trust.Statement).toHaveLength(1);
    const [s] = trust.Statement;
    expect(actionsOf(s).flatMap(realActions)).toEqual(['sts:AssumeRole']);
    expect(s.Principal.AWS).toMatch(/^arn:aws:iam::111122223333:role\//);
    const pattern = s.Condition?.StringLike?.['sts:RoleSessionName'] as string;
    expect(new RegExp(`^${pattern.replace(/\*/g, '.*')}$`).test(assumeRoleSessionName('shop'))).toBe(true);
  });
});

describe('README, Accounts: amifleet show of the factory fleet', () => {
  it('is what amifleet show prints', () => {
    const run = amifleet(['show', FACTORY]);
    expect(run.code).toBe(0);
    expect(blockAfter('compares with amifleet show')).toBe(`$ npx amifleet show ${FACTORY}\n${run.stdout.trimEnd()}`);
  });
});
