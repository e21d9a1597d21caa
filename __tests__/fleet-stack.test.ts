import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { formatDiagnostic } from '../loader/diagnostic';
import { parseFleetText } from '../loader/load-fleet';
import { FleetStack, validFleet } from '../modules/constructs/fleet-stack';
import { FleetValidationError, formatPath } from '../modules/fleet/fleet-validation-error';
import type { FleetInput } from '../modules/fleet/fleet-spec';
import { KMS_EU, baseFleet, only, referencedName, resources, synthFleet, type TfJson } from './support/fleets';

const SEVENTEEN = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'sa-east-1'];

/** Every launch template references the copy of its own region, and both carry that region. */
function expectRegionalWiring(stack: TfJson): void {
  const copies = resources(stack, 'aws_ami_copy');
  for (const lt of Object.values(resources(stack, 'aws_launch_template'))) {
    const copy = copies[referencedName(lt.image_id, 'aws_ami_copy') as string];
    expect(copy).toBeDefined();
    expect(copy.region).toBe(lt.region);
  }
}

describe('FleetStack, per-region layout', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => { stacks = synthFleet(baseFleet({ tags: { team: 'platform' } })); });

  it('makes one stack per region, named <fleet>-<region>', () => {
    expect(Object.keys(stacks).sort()).toEqual(['web-eu-west-1', 'web-us-east-1']);
  });

  it('puts one copy and one launch template in each stack, in its region', () => {
    for (const [name, stack] of Object.entries(stacks)) {
      const region = name.replace('web-', '');
      const copy = only(resources(stack, 'aws_ami_copy'));
      const lt = only(resources(stack, 'aws_launch_template'));
      expect(copy).toMatchObject({ region, source_ami_region: 'us-east-1', source_ami_id: 'ami-0123456789abcdef0', encrypted: true });
      expect(lt.region).toBe(region);
      expectRegionalWiring(stack);
    }
  });

  it('encrypts with the region\'s key only where one is given', () => {
    expect(only(resources(stacks['web-eu-west-1'], 'aws_ami_copy')).kms_key_id).toBe(KMS_EU);
    expect(only(resources(stacks['web-us-east-1'], 'aws_ami_copy')).kms_key_id).toBeUndefined();
  });

  it('names copies after the source image and a digest of the other inputs that replace a copy, so a replacement never collides', () => {
    const digest = (inputs: string) => createHash('sha1').update(inputs).digest('hex').slice(0, 8);
    expect(only(resources(stacks['web-us-east-1'], 'aws_ami_copy')).name).toBe(`web-ami-0123456789abcdef0-${digest('us-east-1|true|')}`);
    expect(only(resources(stacks['web-eu-west-1'], 'aws_ami_copy')).name).toBe(`web-ami-0123456789abcdef0-${digest(`us-east-1|true|${KMS_EU}`)}`);
    const otherKey = synthFleet(baseFleet({ regions: { 'eu-west-1': { kmsKeyId: KMS_EU.replace('1234abcd', '5678abcd') } } }))['web-eu-west-1'];
    expect(only(resources(otherKey, 'aws_ami_copy')).name).not.toBe(only(resources(stacks['web-eu-west-1'], 'aws_ami_copy')).name);
  });

  it('tags everything with the fleet\'s tags and amifleet\'s own', () => {
    const tags = { Fleet: 'web', ManagedBy: 'amifleet', team: 'platform' };
    expect(only(resources(stacks['web-eu-west-1'], 'aws_ami_copy')).tags).toEqual(tags);
    expect(only(resources(stacks['web-eu-west-1'], 'aws_launch_template')).tags).toEqual(tags);
  });

  it('outputs the image id, launch template id and latest version as plain values and as maps', () => {
    const out = stacks['web-eu-west-1'].output!;
    const copy = Object.keys(resources(stacks['web-eu-west-1'], 'aws_ami_copy'))[0];
    const lt = Object.keys(resources(stacks['web-eu-west-1'], 'aws_launch_template'))[0];
    expect(out.image_id.value).toBe(`\${aws_ami_copy.${copy}.id}`);
    expect(out.launch_template_id.value).toBe(`\${aws_launch_template.${lt}.id}`);
    expect(out.launch_template_latest_version.value).toBe(`\${aws_launch_template.${lt}.latest_version}`);
    expect(out.image_ids.value).toEqual({ 'eu-west-1': `\${aws_ami_copy.${copy}.id}` });
  });

  it('keeps local state per stack by default, beside the output directory (stacks/<stack>/../../..), with one provider for the stack\'s region', () => {
    expect(stacks['web-eu-west-1'].terraform!.backend).toEqual({
      local: { path: '../../../terraform.web-eu-west-1.tfstate', workspace_dir: '../../../terraform.tfstate.d/web-eu-west-1' },
    });
    expect(stacks['web-eu-west-1'].provider!.aws).toEqual([{ region: 'eu-west-1' }]);
  });
});

describe('FleetStack, single layout', () => {
  let stack: TfJson;
  beforeAll(() => { stack = only(synthFleet(baseFleet({ layout: 'single' }))); });

  it('makes one stack named after the fleet, holding every region', () => {
    expect(Object.keys(synthFleet(baseFleet({ layout: 'single' })))).toEqual(['web']);
    const regions = Object.values(resources(stack, 'aws_ami_copy')).map((c) => c.region).sort();
    expect(regions).toEqual(['eu-west-1', 'us-east-1']);
    expectRegionalWiring(stack);
  });

  it('outputs maps keyed by region, and no plain per-region outputs', () => {
    const out = stack.output!;
    expect(Object.keys(out).sort()).toEqual(['image_copy_ids', 'image_ids', 'launch_template_ids', 'launch_template_latest_versions', 'rollout_waves', 'source_image_ids']);
    expect(Object.keys(out.image_ids.value as object).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const [region, ref] of Object.entries(out.launch_template_ids.value as Record<string, string>)) {
      const lt = resources(stack, 'aws_launch_template')[referencedName(ref, 'aws_launch_template') as string];
      expect(lt.region).toBe(region);
    }
  });

  it('uses one provider, in the source region', () => {
    expect(stack.provider!.aws).toEqual([{ region: 'us-east-1' }]);
  });
});

describe('FleetStack, 17 regions', () => {
  const fleet = baseFleet({ regions: Object.fromEntries(SEVENTEEN.map((r) => [r, {}])) });

  it('per-region: 17 stacks, each with one encrypted copy in its region and one launch template using it', () => {
    const stacks = synthFleet(fleet);
    expect(Object.keys(stacks)).toHaveLength(17);
    for (const region of SEVENTEEN) {
      const stack = stacks[`web-${region}`];
      expect(only(resources(stack, 'aws_ami_copy'))).toMatchObject({ region, encrypted: true });
      expect(only(resources(stack, 'aws_launch_template')).region).toBe(region);
      expectRegionalWiring(stack);
    }
  });

  it('single: one stack with 17 copies and 17 launch templates', () => {
    const stack = only(synthFleet({ ...fleet, layout: 'single' }));
    expect(Object.keys(resources(stack, 'aws_ami_copy'))).toHaveLength(17);
    expect(Object.keys(resources(stack, 'aws_launch_template'))).toHaveLength(17);
    expectRegionalWiring(stack);
  });
});

describe('FleetStack, sources', () => {
  it('looks the image up in the source region and copies what it finds', () => {
    const stack = synthFleet(baseFleet({ source: { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-*' } } }))['web-eu-west-1'];
    const ami = only(stack.data!.aws_ami);
    expect(ami.region).toBe('us-east-1');
    const copy = only(resources(stack, 'aws_ami_copy'));
    expect(copy.source_ami_id).toMatch(/^\$\{data\.aws_ami\.[^.]+\.id\}$/);
    expect(copy.name).toMatch(/^web-\$\{data\.aws_ami\.[^.]+\.id\}-[0-9a-f]{8}$/);
  });

  it('reads an SSM parameter in the source region', () => {
    const stack = synthFleet(baseFleet({ source: { region: 'us-east-1', ssmParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' } }))['web-eu-west-1'];
    expect(only(stack.data!.aws_ssm_parameter).region).toBe('us-east-1');
    expect(only(resources(stack, 'aws_ami_copy')).source_ami_id).toMatch(/insecure_value/);
  });
});

describe('FleetStack, per-region overrides', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => {
    stacks = synthFleet(baseFleet({
      tags: { team: 'platform' },
      regions: {
        'us-east-1': {},
        'eu-west-1': { instanceType: 'm7i.large', securityGroupIds: ['sg-0123456789abcdef0'], tags: { 'region-owner': 'emea' } },
      },
      launchTemplate: { instanceType: 't3.micro', securityGroupIds: ['sg-00000000'], keyName: 'ops' },
    }));
  });

  it('overrides instance type and security groups in that region only', () => {
    const eu = only(resources(stacks['web-eu-west-1'], 'aws_launch_template'));
    const us = only(resources(stacks['web-us-east-1'], 'aws_launch_template'));
    expect(eu).toMatchObject({ instance_type: 'm7i.large', vpc_security_group_ids: ['sg-0123456789abcdef0'], key_name: 'ops' });
    expect(us).toMatchObject({ instance_type: 't3.micro', vpc_security_group_ids: ['sg-00000000'], key_name: 'ops' });
  });

  it('adds region tags to that region\'s resources only', () => {
    expect(only(resources(stacks['web-eu-west-1'], 'aws_ami_copy')).tags).toMatchObject({ 'region-owner': 'emea', team: 'platform' });
    expect(only(resources(stacks['web-us-east-1'], 'aws_ami_copy')).tags).not.toHaveProperty('region-owner');
  });
});

describe('FleetStack, state backends', () => {
  it('s3: one key per stack under the prefix, encrypted, with S3 native locking', () => {
    const stack = synthFleet(baseFleet({ state: { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1', keyPrefix: 'amifleet' } }))['web-eu-west-1'];
    expect(stack.terraform!.backend).toEqual({
      s3: { bucket: 'acme-terraform-state', region: 'us-east-1', key: 'amifleet/web-eu-west-1.tfstate', encrypt: true, use_lockfile: true },
    });
  });

  it('s3 without a prefix or locking', () => {
    const stack = synthFleet(baseFleet({ state: { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1', lockfile: false } }))['web-us-east-1'];
    expect(stack.terraform!.backend!.s3).toEqual({ bucket: 'acme-terraform-state', region: 'us-east-1', key: 'web-us-east-1.tfstate', encrypt: true });
  });

  it('cloud: one workspace per stack, with prefix and project', () => {
    const stack = synthFleet(baseFleet({ state: { backend: 'cloud', organization: 'acme', workspacePrefix: 'amifleet-', project: 'images' } }))['web-eu-west-1'];
    expect(JSON.stringify(stack.terraform)).toContain('"organization":"acme"');
    expect(JSON.stringify(stack.terraform)).toContain('"name":"amifleet-web-eu-west-1"');
    expect(JSON.stringify(stack.terraform)).toContain('"project":"images"');
  });
});

describe('FleetStack, stable addresses', () => {
  const addresses = (stacks: Record<string, TfJson>) => Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, {
    copies: Object.keys(resources(s, 'aws_ami_copy')).sort(),
    templates: Object.keys(resources(s, 'aws_launch_template')).sort(),
  }]));

  it('do not depend on the order of regions in the file', () => {
    const forward = baseFleet({ regions: { 'us-east-1': {}, 'eu-west-1': {}, 'ap-south-1': {} } });
    const backward = baseFleet({ regions: { 'ap-south-1': {}, 'eu-west-1': {}, 'us-east-1': {} } });
    for (const layout of ['per-region', 'single'] as const) {
      expect(addresses(synthFleet({ ...backward, layout }))).toEqual(addresses(synthFleet({ ...forward, layout })));
    }
  });

  it('stay the same for every other region when a region is added', () => {
    const before = baseFleet({ layout: 'single', regions: { 'us-east-1': {}, 'eu-west-1': {} } });
    const after = baseFleet({ layout: 'single', regions: { 'ap-south-1': {}, 'us-east-1': {}, 'eu-west-1': {} } });
    const a = addresses(synthFleet(before)).web;
    const b = addresses(synthFleet(after)).web;
    expect(b.copies).toEqual(expect.arrayContaining(a.copies));
    expect(b.templates).toEqual(expect.arrayContaining(a.templates));
    expect(b.copies).toHaveLength(3);
    const perRegionBefore = addresses(synthFleet({ ...before, layout: 'per-region' }));
    const perRegionAfter = addresses(synthFleet({ ...after, layout: 'per-region' }));
    for (const name of Object.keys(perRegionBefore)) expect(perRegionAfter[name]).toEqual(perRegionBefore[name]);
  });
});

describe('FleetStack validation', () => {
  it('gives TypeScript users the fleet file\'s validation, all problems at once', () => {
    const app = Testing.app();
    let error: unknown;
    try {
      new FleetStack(app, 'web', { fleet: { ...baseFleet(), fleet: 'Web', launchTemplate: { instanceType: 't3.micro', metadata: { hopLimit: 99 } } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    const paths = (error as FleetValidationError).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['fleet', 'launchTemplate.metadata.hopLimit']));
  });

  it('validates a fleet once: the valid fleet is frozen, and each stack given it takes it as it is', () => {
    const fleet = validFleet(baseFleet());
    expect(validFleet(fleet)).toBe(fleet);
    expect(Object.isFrozen(fleet.regions['eu-west-1'])).toBe(true);
    expect(() => { (fleet.launchTemplate as { instanceType: string }).instanceType = 'not-a-type'; }).toThrow(TypeError);
    const app = Testing.app();
    expect(new FleetStack(app, 'web', { fleet }).fleet).toBe(fleet);
  });

  it('validates a fleet that is not frozen every time, so a changed copy is checked again', () => {
    const fleet = { ...validFleet(baseFleet()), fleet: 'Web' };
    expect(() => validFleet(fleet)).toThrow(FleetValidationError);
  });

  it('lists a typo under source, an unknown region and an unknown instance type together', () => {
    const fleet = {
      fleet: 'web', source: { region: 'us-east-1', amii: 'ami-0123456789abcdef0' },
      regions: { 'eu-wst-1': {} }, launchTemplate: { instanceType: 't3.micor' },
    } as unknown as FleetInput;
    let error: unknown;
    try {
      new FleetStack(Testing.app(), 'web', { fleet });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    expect((error as Error).message.split('\n').sort()).toEqual([
      'invalid fleet:',
      '  source: needs exactly one of ami, lookup or ssmParameter',
      '  source.amii: unknown key "amii" (did you mean ami?)',
      '  regions.eu-wst-1: unknown region "eu-wst-1" (did you mean eu-west-1?)',
      '  launchTemplate.instanceType: unknown EC2 instance type "t3.micor" (did you mean t3.micro?)',
    ].sort());
  });

  it('refuses regions the fleet does not have', () => {
    expect(() => new FleetStack(Testing.app(), 'web', { fleet: baseFleet(), regions: ['sa-east-1'] })).toThrow(/unknown: sa-east-1/);
  });
});

describe('FleetValidationError and the CLI', () => {
  const DIR = join(__dirname, 'fixtures', 'invalid');
  // Fixtures the constructs can be given: maps (not a syntax error, a list or binary junk); and
  // not an unquoted account id, whose fix quotes the number as the file wrote it, which only the file knows.
  const maps = readdirSync(DIR).filter((name) => name !== 'unquoted-account-id.yaml'
    && parseFleetText(name, readFileSync(join(DIR, name))).document?.value?.constructor === Object).sort();

  it('are at least the 40 fixtures that are maps', () => {
    expect(maps.length).toBeGreaterThanOrEqual(40);
  });

  it.each(maps)('%s: the same errors, worded the same', (name) => {
    const text = readFileSync(join(DIR, name), 'utf8');
    const printed = parseFleetText(name, text).diagnostics.filter((d) => d.severity === 'error')
      .map((d) => formatDiagnostic(d).replace(/^\S+?:\d+:\d+: /, ''));
    let error: unknown;
    try {
      validFleet(parse(text) as FleetInput);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    const listed = (error as FleetValidationError).issues
      .map((i) => (formatPath(i.path) ? `${formatPath(i.path)}: ` : '') + i.message + (i.suggestion ? ` (${i.suggestion})` : ''));
    expect(listed.sort()).toEqual(printed.sort());
  });
});
