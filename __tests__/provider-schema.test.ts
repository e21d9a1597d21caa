import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleets } from '../loader/load-fleets';
import { ProviderSchema, schemaProblems } from './support/provider-schema';
import { KMS_EU, baseFleet, synthFleet, type TfJson } from './support/fleets';

// No terraform here to `validate`: instead every block amifleet writes is checked against the
// provider's own schema, shipped in @cdktf/provider-aws's .jsii.

/** A fleet that turns every feature on, so every attribute amifleet can write is written. */
function kitchenSink(): Parameters<typeof synthFleet>[0] {
  return baseFleet({
    description: 'every feature',
    tags: { team: 'platform' },
    source: { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-*', architecture: 'x86_64', filters: { 'virtualization-type': ['hvm'] } } },
    regions: {
      'us-east-1': {},
      'eu-west-1': { kmsKeyId: KMS_EU, instanceType: 'm7i.large', securityGroupIds: ['sg-0123456789abcdef0'], tags: { owner: 'emea' } },
    },
    copy: { encrypted: true, deprecateAfterDays: 365, timeoutMinutes: 90, shareWith: { accounts: ['444455556666'] } },
    launchTemplate: {
      instanceType: 't3.micro', keyName: 'ops', iamInstanceProfile: 'web-role', securityGroupIds: ['sg-00000000'],
      metadata: { httpTokens: 'required', hopLimit: 2 }, rootVolume: { sizeGiB: 30, type: 'gp3' },
    },
    publish: { ssmParameter: '/amifleet/web/ami-id' },
    state: { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1', keyPrefix: 'amifleet' },
  });
}

function stacksUnderTest(): Record<string, TfJson> {
  const stacks: Record<string, TfJson> = {};
  for (const layout of ['per-region', 'single'] as const) {
    for (const [name, json] of Object.entries(synthFleet({ ...kitchenSink(), layout }))) stacks[`${layout}:${name}`] = json;
  }
  for (const f of loadFleets([join(__dirname, '..', 'fleets')]).fleets) {
    for (const [name, json] of Object.entries(synthFleet(f.fleet, { userDataTemplate: f.userDataTemplate }))) stacks[`fleets:${name}`] = json;
  }
  return stacks;
}

describe('synthesized JSON against the AWS provider schema', () => {
  let schema: ProviderSchema;
  let stacks: Record<string, TfJson>;
  beforeAll(() => {
    schema = new ProviderSchema();
    stacks = stacksUnderTest();
  });

  it('reads the provider schema (sanity: it knows the resources amifleet uses)', () => {
    expect(schema.resources.get('aws_ami_copy')).toBe('@cdktf/provider-aws.amiCopy.AmiCopyConfig');
    expect(schema.block('@cdktf/provider-aws.launchTemplate.LaunchTemplateConfig').attributes.get('metadata_options')?.block
      ?.attributes.has('http_put_response_hop_limit')).toBe(true);
    expect(readdirSync(join(__dirname, '..', 'fleets')).length).toBeGreaterThan(0);
  });

  it('writes only attributes that exist, and every required one, in every resource and data source', () => {
    const problems: string[] = [];
    for (const [stackName, stack] of Object.entries(stacks)) {
      for (const [kind, known] of [['resource', schema.resources], ['data', schema.dataSources]] as const) {
        const blocks = (stack[kind] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
        for (const [type, byName] of Object.entries(blocks)) {
          const config = known.get(type);
          if (!config) {
            problems.push(`${stackName}: ${kind} type ${type} does not exist`);
            continue;
          }
          for (const [name, body] of Object.entries(byName)) {
            problems.push(...schemaProblems(body, schema.block(config), `${stackName}: ${type}.${name}`));
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('ignores changes only to attributes that exist', () => {
    const problems: string[] = [];
    for (const [stackName, stack] of Object.entries(stacks)) {
      for (const [type, byName] of Object.entries(stack.resource ?? {})) {
        const attributes = schema.block(schema.resources.get(type) as string).attributes;
        for (const [name, body] of Object.entries(byName)) {
          const ignored = ((body.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes) ?? [];
          for (const attribute of ignored) {
            if (!attributes.has(attribute.split(/[.[]/)[0])) problems.push(`${stackName}: ${type}.${name} ignores ${attribute}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('notices a misspelt attribute (the check can fail)', () => {
    const config = schema.resources.get('aws_launch_template') as string;
    expect(schemaProblems({ image_id: 'ami-1', instance_typ: 't3.micro' }, schema.block(config), 'lt'))
      .toEqual(['lt.instance_typ: no such attribute']);
    expect(schemaProblems({ metadata_options: { http_token: 'required' } }, schema.block(config), 'lt'))
      .toEqual(['lt.metadata_options[0].http_token: no such attribute']);
    expect(schemaProblems({ source_ami_id: 'ami-1' }, schema.block(schema.resources.get('aws_ami_copy') as string), 'copy'))
      .toEqual(expect.arrayContaining(['copy.name: required but missing', 'copy.source_ami_region: required but missing']));
  });
});
