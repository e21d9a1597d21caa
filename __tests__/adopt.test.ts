import { parseFleetText } from '../loader/load-fleet';
import { formatDiagnostic } from '../loader/diagnostic';
import { fleetModule, moduleReadme } from '../cli/fleet-module-writer';
import { VALID_YAML } from './support/cli';
import { baseFleet, only, resources, synthFleet, type TfJson } from './support/fleets';

const ADOPTING = baseFleet({
  regions: {
    'us-east-1': { adopt: { launchTemplate: 'lt-0123456789abcdef0' } },
    'eu-west-1': { adopt: { image: 'ami-0fedcba9876543210', launchTemplate: 'lt-0fedcba9876543210' } },
  },
  publish: { ssmParameter: '/amifleet/web/ami-id' },
  copy: { shareWith: { accounts: ['444455556666'] } },
});

describe('adopting what exists', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => { stacks = synthFleet(ADOPTING); });

  it('imports an adopted launch template with a Terraform import block, in its region', () => {
    for (const [region, id] of [['us-east-1', 'lt-0123456789abcdef0'], ['eu-west-1', 'lt-0fedcba9876543210']]) {
      const stack = stacks[`web-${region}`];
      const name = Object.keys(resources(stack, 'aws_launch_template'))[0];
      expect(stack.import).toEqual([{ to: `aws_launch_template.${name}`, id: `${id}@${region}` }]);
    }
  });

  it('stops the plan when the adopted template\'s name is not the one amifleet gives it (a rename replaces it)', () => {
    const stack = stacks['web-eu-west-1'];
    expect(only(stack.data!.aws_launch_template)).toEqual(expect.objectContaining({ region: 'eu-west-1', id: 'lt-0fedcba9876543210' }));
    const conditions = (only(resources(stack, 'aws_launch_template')).lifecycle as { precondition: { condition: string; error_message: string }[] }).precondition;
    const guard = conditions.find((c) => c.error_message.includes('adopted launch template'));
    expect(guard?.condition).toMatch(/^\$\{\(data\.aws_launch_template\.[^.]+\.name == "web"\)\}$/);
  });

  it('launches an adopted image as it is: no copy, no snapshot tags or sharing there', () => {
    const eu = stacks['web-eu-west-1'];
    expect(eu.resource!.aws_ami_copy).toBeUndefined();
    expect(eu.resource!.aws_ec2_tag).toBeUndefined();
    expect(eu.resource!.aws_ami_launch_permission).toBeUndefined();
    const adopted = Object.entries(eu.data!.aws_ami).find(([, body]) => JSON.stringify(body).includes('ami-0fedcba9876543210'));
    expect(adopted?.[1]).toMatchObject({ region: 'eu-west-1', filter: [{ name: 'image-id', values: ['ami-0fedcba9876543210'] }] });
    const lt = only(resources(eu, 'aws_launch_template'));
    expect(lt.image_id).toBe(`\${data.aws_ami.${adopted?.[0]}.id}`);
    expect(only(resources(eu, 'aws_ssm_parameter')).insecure_value).toBe(`\${data.aws_ami.${adopted?.[0]}.id}`);
    expect(eu.output!.image_id.value).toBe(`\${data.aws_ami.${adopted?.[0]}.id}`);
  });

  it('still copies the image into a region that adopts only its launch template', () => {
    const us = stacks['web-us-east-1'];
    expect(only(resources(us, 'aws_launch_template')).image_id).toMatch(/^\$\{aws_ami_copy\./);
    expect(Object.keys(resources(us, 'aws_ami_launch_permission')).length).toBeGreaterThan(0);
  });

  it('rejects ids that are not a launch template or image id, with their position', () => {
    const text = VALID_YAML.replace('eu-west-1: {}', 'eu-west-1:\n    adopt: { launchTemplate: lt-123, image: img-1 }');
    expect(parseFleetText('web.yaml', text).diagnostics.map(formatDiagnostic).sort()).toEqual([
      'web.yaml:8:30: regions.eu-west-1.adopt.launchTemplate: must be a launch template id: lt- followed by 17 hex digits',
      'web.yaml:8:45: regions.eu-west-1.adopt.image: must be an AMI id: ami- followed by 8 or 17 hex digits',
    ]);
  });

  it('in a module, lists the imports for the caller\'s root module (import blocks cannot live in a module)', () => {
    const loaded = parseFleetText('fleets/web.yaml', VALID_YAML.replace('eu-west-1: {}', 'eu-west-1: { adopt: { launchTemplate: lt-0fedcba9876543210 } }'));
    const f = { file: 'fleets/web.yaml', fleet: loaded.fleet!, document: loaded.document! };
    const module = fleetModule(f);
    expect(JSON.stringify(module.files)).not.toContain('"import"');
    expect(moduleReadme(f, module)).toMatch(/import \{\n  to = module\.web\.aws_launch_template\.[^\n]+\n  id = "lt-0fedcba9876543210@eu-west-1"\n\}/);
  });
});
