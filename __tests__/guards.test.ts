import { Testing } from 'cdktf';
import { RegionalFleet } from '../modules/constructs/regional-fleet';
import { ImageSource } from '../modules/constructs/image-source';
import { FleetSchema } from '../modules/fleet/fleet-spec';
import { KMS_EU, baseFleet, only, resources, synthFleet, type TfJson } from './support/fleets';

type Condition = { condition: string; error_message: string };
const preconditions = (block: Record<string, unknown>): Condition[] =>
  ((block.lifecycle as { precondition?: Condition[] } | undefined)?.precondition) ?? [];

const LOOKUP = { region: 'us-east-1', lookup: { owners: ['amazon'], name: 'al2023-ami-*', architecture: 'x86_64' as const } };

describe('plan-time guards in every region', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => {
    stacks = synthFleet(baseFleet({
      source: LOOKUP,
      regions: { 'us-east-1': {}, 'eu-west-1': { kmsKeyId: KMS_EU, instanceType: 'm7i.large' } },
    }));
  });

  it('checks that the instance type is offered in the region', () => {
    const stack = stacks['web-eu-west-1'];
    const offerings = only(stack.data!.aws_ec2_instance_type_offerings);
    expect(offerings).toMatchObject({ region: 'eu-west-1', location_type: 'region', filter: [{ name: 'instance-type', values: ['m7i.large'] }] });
    const name = Object.keys(stack.data!.aws_ec2_instance_type_offerings)[0];
    expect(preconditions(only(resources(stack, 'aws_launch_template')))).toContainEqual({
      condition: `\${contains(data.aws_ec2_instance_type_offerings.${name}.instance_types, "m7i.large")}`,
      error_message: 'amifleet fleet web, region eu-west-1: instance type m7i.large is not offered in eu-west-1. '
        + 'Fix: set regions.eu-west-1.instanceType to a type offered there (aws ec2 describe-instance-type-offerings --region eu-west-1).',
    });
  });

  it('checks that the instance type runs the source image\'s architecture, read from the lookup at plan', () => {
    for (const [stackName, stack] of Object.entries(stacks)) {
      const region = stackName.replace('web-', '');
      const fitting = only(stack.data!.aws_ec2_instance_types);
      const ami = Object.keys(stack.data!.aws_ami)[0];
      expect(fitting).toMatchObject({ region, filter: [
        { name: 'instance-type', values: [region === 'eu-west-1' ? 'm7i.large' : 't3.micro'] },
        { name: 'processor-info.supported-architecture', values: [`\${data.aws_ami.${ami}.architecture}`] },
      ] });
      const guard = preconditions(only(resources(stack, 'aws_launch_template'))).find((c) => c.error_message.includes('architecture'));
      expect(guard?.condition).toMatch(/^\$\{contains\(data\.aws_ec2_instance_types\.[^.]+\.instance_types, "(m7i\.large|t3\.micro)"\)\}$/);
      expect(guard?.error_message).toMatch(new RegExp(`^amifleet fleet web, region ${region}: .* Fix: choose an instance type`));
    }
  });

  it('checks that the region\'s KMS key exists and is enabled, before the copy starts', () => {
    const stack = stacks['web-eu-west-1'];
    expect(only(stack.data!.aws_kms_key)).toMatchObject({ region: 'eu-west-1', key_id: KMS_EU });
    const name = Object.keys(stack.data!.aws_kms_key)[0];
    expect(preconditions(only(resources(stack, 'aws_ami_copy')))).toEqual([{
      condition: `\${data.aws_kms_key.${name}.enabled}`,
      error_message: expect.stringMatching(/^amifleet fleet web, region eu-west-1: KMS key arn:aws:kms:eu-west-1:.* is not enabled\. Fix: /),
    }]);
    expect(stacks['web-us-east-1'].data!.aws_kms_key).toBeUndefined();
  });

  it('checks nothing on a lookup of Amazon\'s images: AWS returns only available, current ones', () => {
    const ami = only(stacks['web-us-east-1'].data!.aws_ami) as { lifecycle?: unknown; filter: unknown };
    expect(ami.filter).toContainEqual({ name: 'state', values: ['available'] });
    expect(ami.lifecycle).toBeUndefined();
  });

  it('checks that a lookup of the caller\'s own images (self or an account id) found no deprecated one', () => {
    for (const owners of [['self'], ['111122223333'], ['amazon', 'self']]) {
      const stack = synthFleet(baseFleet({ source: { ...LOOKUP, lookup: { ...LOOKUP.lookup, owners } } }))['web-us-east-1'];
      const ami = only(stack.data!.aws_ami) as { lifecycle: { postcondition: Condition[] } };
      expect([owners, ami.lifecycle.postcondition]).toEqual([owners, [{
        condition: '${try(timecmp(self.deprecation_time, plantimestamp()) > 0, true)}',
        error_message: expect.stringMatching(/^amifleet fleet web, source image: the image the lookup found is deprecated\. Fix: .*includeDeprecated: true/),
      }]]);
    }
  });

  it('accepts a deprecated image when the lookup includes deprecated ones', () => {
    const lookup = { ...LOOKUP.lookup, owners: ['self'], includeDeprecated: true };
    const ami = only(synthFleet(baseFleet({ source: { ...LOOKUP, lookup } }))['web-us-east-1'].data!.aws_ami);
    expect(ami.lifecycle).toBeUndefined();
  });

  it('checks a looked-up image is available when the lookup\'s own state filter lets others through', () => {
    const lookup = { ...LOOKUP.lookup, filters: { state: ['available', 'pending'] } };
    const ami = only(synthFleet(baseFleet({ source: { ...LOOKUP, lookup } }))['web-us-east-1'].data!.aws_ami) as { lifecycle: { postcondition: Condition[] } };
    expect(ami.lifecycle.postcondition.map((c) => c.condition)).toEqual(['${self.state == "available"}']);
  });

  it('keeps the copy\'s own lifecycle (create before destroy) beside the guards', () => {
    expect(only(resources(stacks['web-eu-west-1'], 'aws_ami_copy')).lifecycle).toMatchObject({ create_before_destroy: true });
  });
});

describe('guards can be left out by TypeScript users', () => {
  it('adds no data sources or conditions with guards: false', () => {
    const fleet = FleetSchema.parse(baseFleet({ source: LOOKUP }));
    const json = JSON.parse(Testing.synthScope((scope) => {
      const source = new ImageSource(scope, 'source', fleet.source);
      new RegionalFleet(scope, 'eu-west-1', { fleet, region: 'eu-west-1', source, guards: false });
    }));
    expect(Object.keys(json.data)).toEqual(['aws_ami']);
    expect(JSON.stringify(json.resource)).not.toContain('precondition');
  });
});

describe('guards on published parameters and pinned sources', () => {
  let stack: TfJson;
  beforeAll(() => {
    stack = synthFleet(baseFleet({ publish: { ssmParameter: '/amifleet/web/ami-id' } }))['web-eu-west-1'];
  });

  it('puts no condition on the published SSM parameter: a plan could never find it false', () => {
    expect(only(resources(stack, 'aws_ssm_parameter')).lifecycle).toBeUndefined();
  });

  it('checks a pinned image is available, but accepts it deprecated (it was chosen on purpose)', () => {
    const ami = only(stack.data!.aws_ami) as { lifecycle: { postcondition: Condition[] }; filter: unknown };
    expect(ami.filter).toEqual([{ name: 'image-id', values: ['ami-0123456789abcdef0'] }]);
    expect(ami.lifecycle.postcondition.map((c) => c.condition)).toEqual(['${self.state == "available"}']);
  });

  it('reads the architecture of a pinned image too, for the instance type guard', () => {
    const ami = Object.keys(stack.data!.aws_ami)[0];
    expect(only(stack.data!.aws_ec2_instance_types).filter).toContainEqual(
      { name: 'processor-info.supported-architecture', values: [`\${data.aws_ami.${ami}.architecture}`] });
  });
});
