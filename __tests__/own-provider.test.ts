import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { parse } from 'yaml';
import { FleetStack, validFleet, type AwsProviderFactory } from '../modules/constructs/fleet-stack';
import { ImageSource } from '../modules/constructs/image-source';
import { RegionalFleet } from '../modules/constructs/regional-fleet';
import { assumedRoleAccount } from '../modules/guards';
import type { FleetInput } from '../modules/fleet/fleet-spec';
import { ROOT } from './support/cli';
import { baseFleet, synthFleet, type TfJson } from './support/fleets';
import { terraform } from './support/terraform-cli';

// A cdktf team's app keeps its own AWS provider (assume_role, default_tags) and backend: amifleet's
// stacks and constructs take that provider and configure none of their own.

const TEAM_ROLE = 'arn:aws:iam::111122223333:role/platform-deploy';
const TEAM_TAGS = [{ tags: { team: 'platform', 'cost-center': '4711' } }];
const S3_STATE = { backend: 's3' as const, bucket: 'acme-terraform-state', region: 'us-east-1' };
const FACTORY_YAML = readFileSync(join(ROOT, '__tests__', 'fixtures', 'accounts', 'factory.yaml'), 'utf8');

/** The team's provider: amifleet's settings merged into the team's own default tags. */
const teamProvider: AwsProviderFactory = (scope, id, settings) => new AwsProvider(scope, id, { ...settings, defaultTags: TEAM_TAGS });

const synthStack = (stack: TerraformStack): TfJson => JSON.parse(Testing.synth(stack)) as TfJson;
const awsProviders = (stack: TfJson): Record<string, unknown>[] => stack.provider?.aws ?? [];

/** Every guard's message in a stack: the preconditions and postconditions of its resources and data sources. */
function guardMessages(stack: TfJson): string[] {
  const blocks = [stack.resource, stack.data].flatMap((kind) => Object.values(kind ?? {}).flatMap((byName) => Object.values(byName)));
  return blocks.flatMap((block) => {
    const lifecycle = block.lifecycle as { precondition?: { error_message: string }[]; postcondition?: { error_message: string }[] } | undefined;
    return [...(lifecycle?.precondition ?? []), ...(lifecycle?.postcondition ?? [])].map((c) => c.error_message);
  }).sort();
}

/** What `terraform validate` says about a stack's configuration before any provider is installed. */
function terraformConfigErrors(stack: TfJson): string {
  const dir = mkdtempSync(join(tmpdir(), 'amifleet-own-provider-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(stack));
    return terraform(['validate'], dir).stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ImageSource and RegionalFleet in a team\'s own stack, under its provider', () => {
  const fleet = validFleet(baseFleet());
  let own: TfJson;
  let fleetStack: TfJson;
  beforeAll(() => {
    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, 'team');
    new AwsProvider(stack, 'aws', { region: 'us-east-1', assumeRole: [{ roleArn: TEAM_ROLE }], defaultTags: TEAM_TAGS });
    const source = new ImageSource(stack, 'source', { ...fleet.source, fleet: fleet.fleet });
    const regions = Object.keys(fleet.regions).map((region) => new RegionalFleet(stack, region, { fleet, region, source }));
    new TerraformOutput(stack, 'launch_template_ids', { value: regions.map((r) => r.launchTemplate.launchTemplateId) });
    own = synthStack(stack);
    // The same fleet in a FleetStack of amifleet's, for its guards.
    fleetStack = synthStack(new FleetStack(Testing.app({ stackTraces: false }), 'web', { fleet }));
  });

  it('has exactly one provider block: the team\'s, with its assume_role and default_tags', () => {
    expect(awsProviders(own)).toEqual([{
      region: 'us-east-1', assume_role: [{ role_arn: TEAM_ROLE }], default_tags: [{ tags: { team: 'platform', 'cost-center': '4711' } }],
    }]);
  });

  it('is a configuration Terraform loads without "Duplicate provider configuration"', () => {
    expect(terraformConfigErrors(own)).not.toContain('Duplicate provider configuration');
  });

  it('has every guard a FleetStack of the same fleet has: the source image\'s, and each region\'s', () => {
    const messages = guardMessages(own);
    expect(messages).toEqual(guardMessages(fleetStack));
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^amifleet fleet web, source image: the source image is not available/),
      expect.stringMatching(/^amifleet fleet web, region eu-west-1: instance type t3\.micro is not offered in eu-west-1/),
      expect.stringMatching(/^amifleet fleet web, region eu-west-1: KMS key arn:aws:kms:eu-west-1:.* is not enabled/),
    ]));
  });

  it('takes the assumed role\'s account guard too, with the team\'s role and account', () => {
    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, 'team');
    new AwsProvider(stack, 'aws', { region: 'us-east-1', assumeRole: [{ roleArn: TEAM_ROLE }] });
    assumedRoleAccount(stack, { fleet: 'web', account: 'platform', settings: { id: '111122223333', roleArn: TEAM_ROLE } });
    const [identity] = Object.values(synthStack(stack).data?.aws_caller_identity ?? {});
    expect(identity.lifecycle).toEqual({ postcondition: [{
      condition: '${self.account_id == "111122223333"}',
      error_message: expect.stringContaining(`amifleet fleet web, account platform: assumed role ${TEAM_ROLE} is in account \${self.account_id}`),
    }] });
  });
});

describe('a FleetStack given the team\'s provider', () => {
  it('writes that one provider; a second provider of the team\'s beside amifleet\'s is what Terraform refuses', () => {
    const fleet = validFleet(baseFleet());
    const given = synthStack(new FleetStack(Testing.app({ stackTraces: false }), 'web', { fleet, provider: teamProvider }));
    expect(awsProviders(given)).toEqual([{ region: 'us-east-1', default_tags: TEAM_TAGS }]);
    expect(terraformConfigErrors(given)).not.toContain('Duplicate provider configuration');
    const beside = new FleetStack(Testing.app({ stackTraces: false }), 'web', { fleet });
    new AwsProvider(beside, 'team', { region: 'us-east-1', defaultTags: TEAM_TAGS });
    expect(awsProviders(synthStack(beside))).toHaveLength(2);
    expect(terraformConfigErrors(synthStack(beside))).toContain('Duplicate provider configuration');
  });
});

describe('addFleetStacks with the team\'s provider and backend: false', () => {
  const input = baseFleet({ state: S3_STATE });
  let stacks: Record<string, TfJson>;
  beforeAll(() => { stacks = synthFleet(input, { provider: teamProvider, backend: false }); });

  it('gives each stack one provider block: amifleet\'s region merged into the team\'s default_tags', () => {
    expect(Object.keys(stacks).sort()).toEqual(['web-eu-west-1', 'web-us-east-1']);
    for (const [name, stack] of Object.entries(stacks)) {
      expect(awsProviders(stack)).toEqual([{ region: name.replace('web-', ''), default_tags: TEAM_TAGS }]);
    }
  });

  it('writes no backend, where the fleet\'s state would give an s3 one', () => {
    for (const stack of Object.values(stacks)) expect(stack.terraform?.backend).toBeUndefined();
    for (const stack of Object.values(synthFleet(input))) expect(Object.keys(stack.terraform?.backend ?? {})).toEqual(['s3']);
  });

  it('without the options writes what amifleet\'s own provider factory writes', () => {
    const plain = (scope: Construct, id: string, settings: AwsProviderConfig) => new AwsProvider(scope, id, settings);
    expect(synthFleet(input, { provider: plain, backend: true })).toEqual(synthFleet(input));
  });
});

describe('account stacks through the team\'s provider factory', () => {
  const calls: { stack: string; id: string; settings: AwsProviderConfig }[] = [];
  let stacks: Record<string, TfJson>;
  beforeAll(() => {
    const recording: AwsProviderFactory = (scope, id, settings) => {
      calls.push({ stack: scope.node.id, id, settings });
      return teamProvider(scope, id, settings);
    };
    stacks = synthFleet(parse(FACTORY_YAML) as FleetInput, { provider: recording, backend: false });
  });

  it('asks the factory for both providers of an account stack: the role\'s, and the credentials\' own (alias credentials)', () => {
    expect(calls.filter((c) => c.stack === 'shop-prod-eu-west-1')).toEqual([
      { stack: 'shop-prod-eu-west-1', id: 'aws', settings: {
        region: 'eu-west-1', assumeRole: [{ roleArn: 'arn:aws:iam::444455556666:role/amifleet-deploy', sessionName: 'amifleet-shop' }] } },
      { stack: 'shop-prod-eu-west-1', id: 'aws-credentials', settings: { alias: 'credentials', region: 'us-east-1' } },
    ]);
    expect(awsProviders(stacks['shop-prod-eu-west-1'])).toEqual([
      { region: 'eu-west-1', assume_role: [{ role_arn: 'arn:aws:iam::444455556666:role/amifleet-deploy', session_name: 'amifleet-shop' }], default_tags: TEAM_TAGS },
      { alias: 'credentials', region: 'us-east-1', default_tags: TEAM_TAGS },
    ]);
  });

  it('gives the share stack one provider of the team\'s, in the source region, assuming no role, and no backend', () => {
    expect(awsProviders(stacks['shop-share'])).toEqual([{ region: 'us-east-1', default_tags: TEAM_TAGS }]);
    for (const stack of Object.values(stacks)) expect(stack.terraform?.backend).toBeUndefined();
  });
});
