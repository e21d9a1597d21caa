import { join } from 'node:path';
import { Testing } from 'cdktf';
import { addFleetStacks } from '../modules/constructs/fleet-app';
import type { Fleet } from '../modules/fleet/fleet-spec';
import { loadFleetFile } from '../loader/load-fleet';
import { only, referencedName, resources, type TfJson } from './support/fleets';
import { hclSyntaxError, schemaProblems, terraformExpressions } from './support/terraform';

// The README's "Day two" fleet: shared, deprecated, published, tagged, over three regions.
const FIXTURE = join(__dirname, 'fixtures', 'day-two.yaml');
const REGIONS = ['ap-southeast-2', 'eu-west-1', 'us-east-1'];
const ACCOUNTS = ['444455556666', '777788889999'];

function loadFixture(): Fleet {
  const loaded = loadFleetFile(FIXTURE);
  expect(loaded.diagnostics).toEqual([]);
  return loaded.fleet as Fleet;
}

function synth(fleet: Fleet): Record<string, TfJson> {
  const app = Testing.app({ stackTraces: false });
  return Object.fromEntries(addFleetStacks(app, fleet).map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as TfJson]));
}

/** Every regional resource of a stack: type, address name and block. */
function regional(stack: TfJson): { type: string; name: string; block: Record<string, unknown> }[] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, block]) => ({ type, name, block })));
}

/** The copies a block references, by address name. */
function copiesReferenced(block: unknown): string[] {
  return [...JSON.stringify(block).matchAll(/aws_ami_copy\.([^.\s"]+)\./g)].map((m) => m[1]);
}

describe('day two, per-region layout (the fixture)', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => { stacks = synth(loadFixture()); });

  it('makes one stack per region, with its state at <keyPrefix>/<fleet>-<region>.tfstate', () => {
    expect(Object.keys(stacks).sort()).toEqual(REGIONS.map((r) => `api-${r}`));
    for (const region of REGIONS) {
      expect(stacks[`api-${region}`].terraform!.backend!.s3).toMatchObject({ bucket: 'acme-terraform-state', key: `amifleet/api-${region}.tfstate` });
    }
  });

  it('has, in every region, the copy, its launch and snapshot permissions, snapshot tags, the SSM parameter and a launch template', () => {
    for (const region of REGIONS) {
      const stack = stacks[`api-${region}`];
      const counts = Object.fromEntries(Object.entries(stack.resource!).map(([type, byName]) => [type, Object.keys(byName).length]));
      expect(counts).toEqual({
        aws_ami_copy: 1,
        aws_ami_launch_permission: 3,
        aws_snapshot_create_volume_permission: 1,
        aws_ec2_tag: 1,
        aws_ssm_parameter: 1,
        aws_launch_template: 1,
      });
    }
  });

  it('puts every resource in its stack\'s region, referencing only that region\'s copy', () => {
    for (const region of REGIONS) {
      const stack = stacks[`api-${region}`];
      const copy = Object.keys(resources(stack, 'aws_ami_copy'))[0];
      for (const { type, block } of regional(stack)) {
        expect([type, block.region]).toEqual([type, region]);
        for (const ref of copiesReferenced(block)) expect(ref).toBe(copy);
      }
    }
  });

  it('copies encrypted with the region\'s key, deprecated 90 days after creation, with 120-minute timeouts', () => {
    for (const region of REGIONS) {
      const copy = only(resources(stacks[`api-${region}`], 'aws_ami_copy'));
      expect(copy).toMatchObject({
        region, encrypted: true, kms_key_id: expect.stringContaining(`:kms:${region}:`),
        name: expect.stringMatching(/^api-ami-0abcdef1234567890-[0-9a-f]{8}$/), deprecation_time: '${timeadd(plantimestamp(), "2160h")}',
        timeouts: { create: '120m', delete: '120m' },
      });
    }
  });

  describe('a new source image (safe replacement)', () => {
    it('creates each region\'s new copy before destroying the old, under a name that cannot collide', () => {
      for (const stack of Object.values(stacks)) {
        const copy = only(resources(stack, 'aws_ami_copy'));
        expect(copy.lifecycle).toMatchObject({ create_before_destroy: true, ignore_changes: ['name', 'deprecation_time'] });
        expect(copy.name).toMatch(new RegExp(`^api-${copy.source_ami_id}-[0-9a-f]{8}$`));
      }
    });

    it('replaces permissions and snapshot tags with the copy, new before old, so nothing holds on to a deleted image', () => {
      for (const stack of Object.values(stacks)) {
        for (const type of ['aws_ami_launch_permission', 'aws_snapshot_create_volume_permission', 'aws_ec2_tag']) {
          for (const block of Object.values(resources(stack, type))) {
            expect(copiesReferenced(block)).toHaveLength(1);
            expect(block.lifecycle).toEqual({ create_before_destroy: true });
          }
        }
      }
    });

    it('moves the launch template and the SSM parameter to the new copy in place, before the old copy goes', () => {
      for (const stack of Object.values(stacks)) {
        const copy = Object.keys(resources(stack, 'aws_ami_copy'))[0];
        const template = only(resources(stack, 'aws_launch_template'));
        const parameter = only(resources(stack, 'aws_ssm_parameter'));
        expect(referencedName(template.image_id, 'aws_ami_copy')).toBe(copy);
        expect(template.update_default_version).toBe(true);
        expect(referencedName(parameter.insecure_value, 'aws_ami_copy')).toBe(copy);
        expect(parameter).toMatchObject({ name: '/amifleet/api/ami-id', type: 'String', data_type: 'aws:ec2:image' });
        // In-place updates: dependents of a create-before-destroy copy are updated before it is destroyed.
        for (const dependent of [template, parameter]) {
          const lifecycle = (dependent.lifecycle ?? {}) as Record<string, unknown>;
          expect(lifecycle.create_before_destroy).toBeUndefined();
          expect(lifecycle.replace_triggered_by).toBeUndefined();
        }
      }
    });
  });

  it('shares with both accounts, the organization and the OU, and gives the accounts the snapshots', () => {
    const stack = stacks['api-eu-west-1'];
    const forEach = Object.values(resources(stack, 'aws_ami_launch_permission')).map((p) => p.for_each).sort();
    expect(forEach).toEqual([
      '${toset(["444455556666", "777788889999"])}',
      '${toset(["arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5"])}',
      '${toset(["arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56"])}',
    ]);
    expect(only(resources(stack, 'aws_snapshot_create_volume_permission')).for_each).toContain(JSON.stringify(ACCOUNTS).replace(',', ', '));
  });

  it('tags the snapshots with the fleet\'s tags', () => {
    const stack = stacks['api-eu-west-1'];
    expect(Object.values(stack.locals as Record<string, unknown>)).toEqual([{ Fleet: 'api', ManagedBy: 'amifleet', 'cost-center': '4711', team: 'platform' }]);
    expect(only(resources(stack, 'aws_ssm_parameter')).tags).toEqual({ Fleet: 'api', ManagedBy: 'amifleet', 'cost-center': '4711', team: 'platform' });
  });

  it('outputs the image, template, version and parameter name, plain and by region', () => {
    const out = stacks['api-eu-west-1'].output!;
    expect(Object.keys(out).sort()).toEqual([
      'image_copy_ids', 'image_id', 'image_ids', 'launch_template_id', 'launch_template_ids', 'launch_template_latest_version',
      'launch_template_latest_versions', 'rollout_wave', 'rollout_waves', 'source_image_ids', 'ssm_parameter_name', 'ssm_parameter_names',
    ]);
    expect(out.ssm_parameter_name.value).toMatch(/^\$\{aws_ssm_parameter\.[^.]+\.name\}$/);
    expect(out.ssm_parameter_names.value).toEqual({ 'eu-west-1': out.ssm_parameter_name.value });
  });

  it('writes only valid Terraform expressions', async () => {
    const problems: string[] = [];
    for (const stack of Object.values(stacks)) {
      for (const expression of terraformExpressions(stack)) {
        const error = await hclSyntaxError(expression);
        if (error) problems.push(`${expression}: ${error}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes and reads only arguments and attributes the AWS provider has', () => {
    expect(Object.values(stacks).flatMap(schemaProblems)).toEqual([]);
  });

  it('would notice a misspelled argument, an attribute the provider lacks, or broken syntax (the checks can fail)', async () => {
    const stack = JSON.parse(JSON.stringify(stacks['api-eu-west-1'])) as TfJson;
    const copy = only(resources(stack, 'aws_ami_copy'));
    copy.deprecation_tme = copy.deprecation_time;
    (copy.lifecycle as { ignore_changes: string[] }).ignore_changes = ['deprecation_tme'];
    only(resources(stack, 'aws_ssm_parameter')).insecure_value = (only(resources(stack, 'aws_ssm_parameter')).insecure_value as string).replace('.id}', '.image_id}');
    expect(schemaProblems(stack)).toEqual([
      expect.stringMatching(/aws_ami_copy\.[^:]+: no argument deprecation_tme$/),
      expect.stringMatching(/ignore_changes names no argument deprecation_tme$/),
      expect.stringMatching(/aws_ami_copy has no attribute image_id$/),
    ]);
    expect(await hclSyntaxError('${one([for b in x : b.y if b.z == each.value.device)}')).toMatch(/for/);
  });
});

describe('day two, single layout', () => {
  let stack: TfJson;
  beforeAll(() => { stack = only(synth({ ...loadFixture(), layout: 'single' })); });

  it('has every region\'s resources, each wired to its own region\'s copy', () => {
    const copies = resources(stack, 'aws_ami_copy');
    expect(Object.values(copies).map((c) => c.region).sort()).toEqual(REGIONS);
    for (const { type, block } of regional(stack)) {
      if (type === 'aws_ami_copy') continue;
      const [ref] = copiesReferenced(block);
      expect([type, copies[ref].region]).toEqual([type, block.region]);
    }
    expect(Object.keys(resources(stack, 'aws_ec2_tag'))).toHaveLength(3);
    expect(Object.keys(resources(stack, 'aws_ami_launch_permission'))).toHaveLength(9);
  });

  it('outputs parameter names by region', () => {
    const names = stack.output!.ssm_parameter_names.value as Record<string, string>;
    expect(Object.keys(names).sort()).toEqual(REGIONS);
    for (const [region, ref] of Object.entries(names)) {
      expect(resources(stack, 'aws_ssm_parameter')[referencedName(ref, 'aws_ssm_parameter') as string].region).toBe(region);
    }
  });

  it('writes and reads only arguments and attributes the AWS provider has', () => {
    expect(schemaProblems(stack)).toEqual([]);
  });
});
