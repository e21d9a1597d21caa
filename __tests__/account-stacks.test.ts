import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FleetInput } from '../modules/fleet/fleet-spec';
import { amifleet, ROOT, workdir } from './support/cli';
import { only, resources, synthFleet, type TfJson } from './support/fleets';
import { instanceUserData } from './support/user-data';

// What an entry of `accounts` gets, in the JSON amifleet writes: stacks named after the account,
// a provider assuming its role, copies with its keys, the account guards, outputs naming the
// account, a manifest that says the account, and state keys and workspaces that include it.
// accounts-plan.test.ts proves the same stacks with Terraform.

const FACTORY_YAML = readFileSync(join(ROOT, '__tests__', 'fixtures', 'accounts', 'factory.yaml'), 'utf8');
const factory = (overrides: Partial<FleetInput> = {}): FleetInput => ({ ...(parse(FACTORY_YAML) as FleetInput), ...overrides });
const PROD = '444455556666';
const PROD_KEY_EU = `arn:aws:kms:eu-west-1:${PROD}:key/3234abcd-12ab-4cd5-9ef6-1234567890ab`;

type Json = Record<string, unknown>;
const dataOf = (stack: TfJson, type: string) => stack.data?.[type] ?? {};

describe('account stacks of the factory fixture', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => { stacks = synthFleet(factory()); });

  it('are named <fleet>-<account>-<region>, beside the share stack; the top-level regions get none (there are none)', () => {
    expect(Object.keys(stacks).sort()).toEqual(['shop-prod-eu-west-1', 'shop-prod-us-east-1', 'shop-share', 'shop-staging-eu-west-1', 'shop-staging-us-east-1']);
  });

  it('have a provider that assumes the account\'s role, with a session name naming amifleet and the fleet', () => {
    const [own] = stacks['shop-prod-eu-west-1'].provider!.aws.filter((p) => p.alias === undefined);
    expect(own).toEqual({ region: 'eu-west-1', assume_role: [{ role_arn: `arn:aws:iam::${PROD}:role/amifleet-deploy`, session_name: 'amifleet-shop' }] });
    const [staging] = stacks['shop-staging-us-east-1'].provider!.aws.filter((p) => p.alias === undefined);
    expect(staging.assume_role).toEqual([{ role_arn: 'arn:aws:iam::777788889999:role/amifleet-deploy', session_name: 'amifleet-shop' }]);
  });

  it('copy every kept image with the account\'s key of the region (staging: its default EBS key), unshared', () => {
    const prod = Object.values(resources(stacks['shop-prod-eu-west-1'], 'aws_ami_copy'));
    expect(prod.map((c) => [c.source_ami_id, c.kms_key_id, c.encrypted])).toEqual([
      ['ami-0aaaaaaaaaaaaaaaa', PROD_KEY_EU, true], ['ami-0bbbbbbbbbbbbbbbb', PROD_KEY_EU, true]]);
    const staging = Object.values(resources(stacks['shop-staging-eu-west-1'], 'aws_ami_copy'));
    expect(staging.map((c) => [c.kms_key_id, c.encrypted])).toEqual([[undefined, true], [undefined, true]]);
    expect(resources(stacks['shop-prod-eu-west-1'], 'aws_ami_launch_permission')).toEqual({});
  });

  it('give each region its launch template, snapshot tags, Auto Scaling group in the account\'s subnets, and its wave', () => {
    const stack = stacks['shop-prod-eu-west-1'];
    expect(Object.keys(resources(stack, 'aws_launch_template'))).toHaveLength(1);
    expect(Object.keys(resources(stack, 'aws_ec2_tag')).length).toBeGreaterThan(0);
    expect(only(resources(stack, 'aws_autoscaling_group')).vpc_zone_identifier).toEqual(['subnet-5a1b2c3d4e5f60718']);
    expect(stack.output!.rollout_wave.value).toBe(2);
    expect(stacks['shop-staging-us-east-1'].output!.rollout_wave.value).toBe(1);
  });

  it('stop the plan when the assumed role is in another account than the entry\'s id', () => {
    const identity = (dataOf(stacks['shop-prod-us-east-1'], 'aws_caller_identity') as Record<string, Json>)['assumed-role-identity'];
    expect(identity.provider).toBeUndefined();
    expect((identity.lifecycle as Json).postcondition).toEqual([{
      condition: `\${self.account_id == "${PROD}"}`,
      error_message: `amifleet fleet shop, account prod: assumed role arn:aws:iam::${PROD}:role/amifleet-deploy is in account \${self.account_id}, `
        + `but accounts.prod.id is ${PROD}. Fix: set accounts.prod.roleArn to a role of account ${PROD} (or correct the id).`,
    }]);
  });

  it('name the account, and the account\'s field to fix, in the regional guards\' messages', () => {
    const copies = Object.values(resources(stacks['shop-prod-eu-west-1'], 'aws_ami_copy'));
    const messages = copies.flatMap((c) => ((c.lifecycle as { precondition?: Json[] } | undefined)?.precondition ?? []).map((p) => p.error_message));
    expect(messages).toContain(`amifleet fleet shop, account prod, region eu-west-1: KMS key ${PROD_KEY_EU} is not enabled. `
      + `Fix: enable the key in eu-west-1, or set accounts.prod.regions.eu-west-1.kmsKeyId to an enabled key of that region.`);
  });

  it('read the shared source as its owner (the credentials\' own account) and check with the role that each kept image is readable', () => {
    const stack = stacks['shop-prod-eu-west-1'];
    expect(stack.provider!.aws.find((p) => p.alias === 'credentials')).toEqual({ alias: 'credentials', region: 'us-east-1' });
    for (const read of Object.values(dataOf(stack, 'aws_ami'))) expect(read.provider).toBe('aws.credentials');
    const readable = Object.values(dataOf(stack, 'aws_ami_ids'));
    expect(readable.map((r) => [r.provider, r.region, (r.filter as Json[])[0].values])).toEqual([
      [undefined, 'us-east-1', ['ami-0aaaaaaaaaaaaaaaa']], [undefined, 'us-east-1', ['ami-0bbbbbbbbbbbbbbbb']]]);
    expect((readable[1].lifecycle as { postcondition: Json[] }).postcondition[0].error_message).toBe(
      `amifleet fleet shop: ami-0bbbbbbbbbbbbbbbb is not readable from account prod (${PROD}): apply the share stack shop-share first (or share it from its owner).`);
    expect(readable[0].depends_on).toEqual(['data.aws_caller_identity.assumed-role-identity']);
  });

  it('output what a per-region stack outputs, and the account\'s name and id', () => {
    const outputs = stacks['shop-prod-eu-west-1'].output!;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['image_id', 'image_ids', 'launch_template_id', 'launch_template_latest_version',
      'auto_scaling_group_name', 'source_image_ids', 'image_copy_ids']));
    expect([outputs.account_name.value, outputs.account_id.value]).toEqual(['prod', PROD]);
  });
});

describe('account stacks with a public source, a single layout, and the credentials\' own regions', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => {
    stacks = synthFleet(factory({
      source: { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-2023.*-x86_64' } },
      rollout: undefined, layout: 'single', regions: { 'us-east-1': { subnetIds: ['subnet-0123456789abcdef0'] } },
    }));
  });

  it('are named <fleet> and <fleet>-<account>', () => {
    expect(Object.keys(stacks).sort()).toEqual(['shop', 'shop-prod', 'shop-staging']);
  });

  it('the credentials\' own stack assumes no role and has no account guard or output', () => {
    expect(stacks.shop.provider!.aws).toEqual([{ region: 'us-east-1' }]);
    expect(dataOf(stacks.shop, 'aws_caller_identity')).toEqual({});
    expect(stacks.shop.output!.account_name).toBeUndefined();
  });

  it('a public source needs no sharing: read with the account\'s role, no readability check, the role\'s account still checked', () => {
    const stack = stacks['shop-prod'];
    expect(stack.provider!.aws.map((p) => p.alias)).toEqual([undefined]);
    expect(dataOf(stack, 'aws_ami_ids')).toEqual({});
    expect(Object.keys(dataOf(stack, 'aws_caller_identity'))).toEqual(['assumed-role-identity']);
    expect(Object.values(resources(stack, 'aws_ami_copy')).map((c) => c.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });
});

describe('account stacks with a lookup of the credentials\' own images', () => {
  it('resolve the lookup as its owner, and check the image it found is readable with the role', () => {
    const stacks = synthFleet(factory({
      source: { region: 'us-east-1', lookup: { owners: ['self', '123456789012'], name: 'golden-web-*' } }, rollout: undefined,
    }));
    const stack = stacks['shop-staging-eu-west-1'];
    const lookup = only(dataOf(stack, 'aws_ami'));
    expect([lookup.provider, lookup.owners, lookup.most_recent]).toEqual(['aws.credentials', ['self', '123456789012'], true]);
    const readable = only(dataOf(stack, 'aws_ami_ids'));
    expect((readable.filter as Json[])[0].values).toEqual([expect.stringMatching(/^\$\{data\.aws_ami\.source_image_[A-F0-9]+\.id\}$/)]);
    expect(readable.owners).toEqual(['${data.aws_caller_identity.source-owner-identity.account_id}', '123456789012']);
  });
});

describe('account stacks: user data sees the account', () => {
  it('renders account and accountId: the entry\'s in its stacks, empty in the credentials\' own', () => {
    const stacks = synthFleet(factory({
      regions: { 'us-east-1': { subnetIds: ['subnet-0123456789abcdef0'] } },
      launchTemplate: { instanceType: 't3.small', userData: { template: 'who.sh.hbs' } },
    }), { userDataTemplate: { name: 'who.sh.hbs', source: '#!/bin/sh\necho {{#if account}}{{account}} {{accountId}}{{else}}factory{{/if}} {{region}}\n' } });
    const userData = (name: string) => instanceUserData(only(resources(stacks[name], 'aws_launch_template')).user_data, () => 'ami-x');
    expect(userData('shop-prod-eu-west-1')).toBe(`#!/bin/sh\necho prod ${PROD} eu-west-1\n`);
    expect(userData('shop-us-east-1')).toBe('#!/bin/sh\necho factory us-east-1\n');
  });
});

describe('account stacks: manifest and state', () => {
  interface Manifest {
    stacks: Record<string, { dependencies: string[] }>;
    amifleet: { stacks: Record<string, Json> };
  }
  const synth = (yaml: string): { manifest: Manifest; stack: (name: string) => TfJson } => {
    const dir = workdir({ 'fleets/shop.yaml': yaml });
    const run = amifleet(['synth', 'fleets'], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const out = join(dir, 'cdktf.out');
    return {
      manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest,
      stack: (name) => JSON.parse(readFileSync(join(out, 'stacks', name, 'cdk.tf.json'), 'utf8')) as TfJson,
    };
  };

  it('names each account stack\'s account and wave; later waves wait for every account\'s earlier wave', () => {
    const { manifest } = synth(FACTORY_YAML);
    expect(manifest.amifleet.stacks['shop-prod-eu-west-1']).toMatchObject({ fleet: 'shop', account: 'prod', wave: 2 });
    expect(manifest.amifleet.stacks['shop-staging-us-east-1']).toMatchObject({ account: 'staging', wave: 1 });
    expect(manifest.stacks['shop-prod-eu-west-1'].dependencies).toEqual(expect.arrayContaining(['shop-prod-us-east-1', 'shop-staging-us-east-1']));
    expect(manifest.stacks['shop-prod-us-east-1'].dependencies.filter((d) => d !== 'shop-share')).toEqual([]);
  });

  it('an S3 key per account stack: <keyPrefix>/<fleet>-<account>-<region>.tfstate', () => {
    const { stack } = synth(`${FACTORY_YAML}state: { backend: s3, bucket: acme-state, region: us-east-1, keyPrefix: amifleet }\n`);
    expect(stack('shop-prod-eu-west-1').terraform!.backend!.s3.key).toBe('amifleet/shop-prod-eu-west-1.tfstate');
    expect(stack('shop-staging-us-east-1').terraform!.backend!.s3.key).toBe('amifleet/shop-staging-us-east-1.tfstate');
  });

  it('an HCP Terraform workspace per account stack: <workspacePrefix><fleet>-<account>-<region>', () => {
    const { stack } = synth(`${FACTORY_YAML}state: { backend: cloud, organization: acme, workspacePrefix: "amifleet-" }\n`);
    expect((stack('shop-prod-us-east-1').terraform as Json & { cloud: { workspaces: Json } }).cloud.workspaces).toEqual({ name: 'amifleet-shop-prod-us-east-1' });
  });
});
