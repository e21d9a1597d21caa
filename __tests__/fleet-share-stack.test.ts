import { join } from 'node:path';
import { Testing } from 'cdktf';
import { loadFleets } from '../loader/load-fleets';
import { addFleetStacks } from '../modules/constructs/fleet-app';
import type { FleetInput } from '../modules/fleet/fleet-spec';
import { FleetShareStack } from '../modules/constructs/fleet-share-stack';
import { SOURCE_KEY_GRANT_OPERATIONS } from '../modules/constructs/source-image-sharing';
import { baseFleet, resources, synthFleet, type TfJson } from './support/fleets';
import { ProviderSchema, schemaProblems } from './support/provider-schema';

// The share stack's Terraform JSON: what it grants to whom, under which provider, and that a
// fleet whose source is public gets none. share-plan.test.ts has Terraform judge the same stack.

const FACTORY = join(__dirname, 'fixtures', 'accounts', 'factory.yaml');
const ACCOUNTS: FleetInput['accounts'] = {
  prod: { id: '444455556666', roleArn: 'arn:aws:iam::444455556666:role/amifleet-deploy', regions: { 'us-east-1': {} } },
  staging: { id: '777788889999', roleArn: 'arn:aws:iam::777788889999:role/amifleet-deploy', regions: { 'eu-west-1': {} } },
};

function factoryFleet(): FleetInput {
  const loaded = loadFleets([FACTORY]);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.fleets[0].fleet as FleetInput;
}

/** The one resource of a type whose address name (its construct path, joined by _) starts with `prefix`. */
function byPath(stack: TfJson, type: string, prefix: string): Record<string, unknown> {
  const found = Object.entries(resources(stack, type)).filter(([name]) => name.startsWith(prefix)).map(([, r]) => r);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('FleetShareStack of the accounts fixture', () => {
  let stacks: Record<string, TfJson>;
  let share: TfJson;

  beforeAll(() => {
    stacks = synthFleet(factoryFleet());
    share = stacks['shop-share'];
  });

  it('is one of the fleet\'s stacks, beside the four account stacks', () => {
    expect(Object.keys(stacks).sort()).toEqual(['shop-prod-eu-west-1', 'shop-prod-us-east-1', 'shop-share', 'shop-staging-eu-west-1', 'shop-staging-us-east-1']);
  });

  it('runs with the credentials\' own account in the source region: no assume_role', () => {
    expect(share.provider?.aws).toEqual([{ region: 'us-east-1' }]);
  });

  it('gives each kept image a launch permission per account, keyed by account name, under a construct named by the image id', () => {
    for (const image of ['ami-0aaaaaaaaaaaaaaaa', 'ami-0bbbbbbbbbbbbbbbb']) {
      const permission = byPath(share, 'aws_ami_launch_permission', `sharing_${image}_`);
      expect(permission).toMatchObject({ image_id: image, for_each: { prod: '444455556666', staging: '777788889999' }, account_id: '${each.value}', region: 'us-east-1' });
    }
    expect(Object.keys(resources(share, 'aws_ami_launch_permission'))).toHaveLength(2);
  });

  it('gives each snapshot of each kept image a create-volume permission per account, keyed <device>|<account>', () => {
    for (const image of ['ami-0aaaaaaaaaaaaaaaa', 'ami-0bbbbbbbbbbbbbbbb']) {
      const permission = byPath(share, 'aws_snapshot_create_volume_permission', `sharing_${image}_`);
      expect(String(permission.for_each)).toContain('["prod", "staging"]');
      expect(String(permission.for_each)).toContain('"${val[0]}|${val[1]}"');
      expect(permission.account_id).toBe('${{"prod" = "444455556666", "staging" = "777788889999"}[each.value.account]}');
      expect(String(permission.snapshot_id)).toMatch(/^\$\{data\.aws_ebs_snapshot\.sharing_ami-0[ab]{16}_snapshot_[0-9A-F]{8}\[each\.value\.device\]\.id\}$/);
    }
  });

  it('grants each account\'s role the copy operations on every customer managed key of the source snapshots, named for amifleet, fleet and account', () => {
    const grant = byPath(share, 'aws_kms_grant', 'sharing_grant_');
    expect(grant.operations).toEqual(['Decrypt', 'DescribeKey', 'CreateGrant', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo']);
    expect(grant.operations).toEqual([...SOURCE_KEY_GRANT_OPERATIONS]);
    expect(grant.grantee_principal).toBe('${{"prod" = "arn:aws:iam::444455556666:role/amifleet-deploy", '
      + '"staging" = "arn:aws:iam::777788889999:role/amifleet-deploy"}[each.value.account]}');
    expect(grant.name).toBe('amifleet-shop-${each.value.account}');
    expect(String(grant.for_each)).toContain('if key.key_manager == "CUSTOMER"');
    // The keys come from both images' snapshots, once each.
    const keys = Object.values(share.data?.aws_kms_key ?? {});
    expect(keys).toHaveLength(1);
    expect(String(keys[0].for_each)).toMatch(/ami-0a{16}.*ami-0b{16}/);
  });

  it('guards every kept image\'s owner and the snapshot keys\' manager at plan', () => {
    const images = Object.values(share.data?.aws_ami ?? {});
    expect(images).toHaveLength(2);
    for (const image of images) {
      const conditions = (image.lifecycle as { postcondition: { condition: string }[] }).postcondition.map((c) => c.condition);
      expect(conditions).toContainEqual(expect.stringMatching(/^\$\{self\.owner_id == data\.aws_caller_identity\.sharing_caller_[0-9A-F]{8}\.account_id\}$/));
    }
    const key = Object.values(share.data?.aws_kms_key ?? {})[0];
    expect((key.lifecycle as { postcondition: { condition: string }[] }).postcondition.map((c) => c.condition)).toEqual(['${self.key_manager == "CUSTOMER"}']);
  });

  it('outputs the shared image ids with the account ids, and the grant ids', () => {
    expect(share.output?.shared_image_ids.value).toBe('${{ for id in ["ami-0aaaaaaaaaaaaaaaa", "ami-0bbbbbbbbbbbbbbbb"]: id => ["444455556666", "777788889999"] }}');
    expect(String(share.output?.kms_grant_ids.value)).toMatch(/^\$\{\{ for key, grant in aws_kms_grant\.sharing_grant_[0-9A-F]{8}: key => grant\.grant_id \}\}$/);
  });

  it('writes only attributes provider 6 has (its per-resource region included), and every required one', () => {
    // Terraform here is provider 5 (share-plan.test.ts rewrites region away): the provider's .jsii judges the region arguments.
    const schema = new ProviderSchema();
    const problems: string[] = [];
    for (const [kind, known] of [['resource', schema.resources], ['data', schema.dataSources]] as const) {
      for (const [type, byName] of Object.entries(share[kind] ?? {})) {
        for (const [name, body] of Object.entries(byName)) problems.push(...schemaProblems(body, schema.block(known.get(type) as string), `${type}.${name}`));
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(share.resource ?? {}).sort()).toEqual(['aws_ami_launch_permission', 'aws_kms_grant', 'aws_snapshot_create_volume_permission']);
  });

  it('keeps its state apart: the local backend names the share stack', () => {
    expect(JSON.stringify(share.terraform?.backend)).toContain('terraform.shop-share.tfstate');
  });
});

describe('which fleets get a share stack', () => {
  it('every account stack waits for the share stack', () => {
    const app = Testing.app({ stackTraces: false });
    const all = addFleetStacks(app, factoryFleet());
    const share = all.find((s) => s instanceof FleetShareStack);
    expect(share?.node.id).toBe('shop-share');
    for (const stack of all.filter((s) => s !== share)) expect([stack.node.id, stack.dependencies]).toEqual([stack.node.id, expect.arrayContaining([share])]);
  });

  it('none for a public lookup: Amazon\'s image is readable from every account', () => {
    const stacks = synthFleet(baseFleet({ regions: {}, accounts: ACCOUNTS, source: { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-2023.*-x86_64' } } }));
    expect(Object.keys(stacks).sort()).toEqual(['web-prod-us-east-1', 'web-staging-eu-west-1']);
  });

  it('one for a private SSM parameter, keying the resolved image as "source"', () => {
    const stacks = synthFleet(baseFleet({ regions: {}, accounts: ACCOUNTS, source: { region: 'us-east-1', ssmParameter: '/factory/golden/ami-id' } }));
    const permission = byPath(stacks['web-share'], 'aws_ami_launch_permission', 'sharing_source_');
    expect(String(permission.image_id)).toMatch(/^\$\{data\.aws_ssm_parameter\.source_parameter_[0-9A-F]{8}\.insecure_value\}$/);
  });

  it('none without accounts, and FleetShareStack refuses such a fleet with the reason', () => {
    expect(Object.keys(synthFleet(baseFleet()))).not.toContain('web-share');
    expect(() => new FleetShareStack(Testing.app(), 'web-share', { fleet: baseFleet() })).toThrow(/needs no share stack: it has no accounts, or its source is public/);
  });
});
