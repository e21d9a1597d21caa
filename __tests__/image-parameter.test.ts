import { Testing, TerraformOutput } from 'cdktf';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { ImageParameter, type ImageParameterProps } from '../modules/constructs/image-parameter';
import { parseFleetText } from '../loader/load-fleet';
import { formatDiagnostic } from '../loader/diagnostic';
import { baseFleet, only, resources, synthFleet } from './support/fleets';
import { VALID_YAML } from './support/cli';

const base: ImageParameterProps = { region: 'eu-west-1', name: '/amifleet/web/ami-id', imageId: 'ami-0123456789abcdef0' };

function synth(props: Partial<ImageParameterProps> = {}): string {
  return Testing.synthScope((scope) => {
    const parameter = new ImageParameter(scope, 'parameter', { ...base, ...props });
    new TerraformOutput(scope, 'name', { value: parameter.parameterName });
  });
}

describe('ImageParameter', () => {
  let json: string;
  let parameter: Record<string, unknown>;
  beforeAll(() => {
    json = synth({ tags: { Fleet: 'web' } });
    parameter = only(JSON.parse(json).resource.aws_ssm_parameter);
  });

  it('holds the image id as an EC2 image parameter, in its region', () => {
    expect(json).toHaveResourceWithProperties(SsmParameter, {
      region: 'eu-west-1', name: '/amifleet/web/ami-id', type: 'String', data_type: 'aws:ec2:image',
      insecure_value: 'ami-0123456789abcdef0', tags: { Fleet: 'web' },
    });
  });

  it('keeps the id readable in plans (not a sensitive value)', () => {
    expect(parameter).not.toHaveProperty('value');
  });

  it('is updated in place when the image changes, never created twice under one name', () => {
    expect(parameter).not.toHaveProperty('lifecycle');
  });

  it('exposes its name as a reference to the parameter', () => {
    expect(JSON.parse(json).output.name.value).toMatch(/^\$\{aws_ssm_parameter\.[^.]+\.name\}$/);
  });

  it('refuses names AWS reserves', () => {
    for (const name of ['/aws/web/ami-id', '/SSM/web', 'awsweb']) {
      expect(() => synth({ name })).toThrow(/may not begin with aws or ssm/);
    }
  });
});

describe('publishing a fleet', () => {
  it('puts the same parameter name in every region, holding that region\'s copy', () => {
    const stacks = synthFleet(baseFleet({ publish: { ssmParameter: '/amifleet/web/ami-id' } }));
    for (const [name, stack] of Object.entries(stacks)) {
      const region = name.replace('web-', '');
      const copy = Object.keys(resources(stack, 'aws_ami_copy'))[0];
      expect(only(resources(stack, 'aws_ssm_parameter'))).toMatchObject({
        region, name: '/amifleet/web/ami-id', insecure_value: `\${aws_ami_copy.${copy}.id}`,
      });
    }
  });

  it('publishes nothing by default, and outputs no parameter name', () => {
    const stack = synthFleet(baseFleet())['web-eu-west-1'];
    expect(resources(stack, 'aws_ssm_parameter')).toEqual({});
    expect(Object.keys(stack.output!).filter((o) => o.startsWith('ssm'))).toEqual([]);
  });

  it('outputs the parameter name: plain in a per-region stack, by region in every stack', () => {
    const fleet = baseFleet({ publish: { ssmParameter: '/amifleet/web/ami-id' } });
    const eu = synthFleet(fleet)['web-eu-west-1'];
    const parameter = Object.keys(resources(eu, 'aws_ssm_parameter'))[0];
    expect(eu.output!.ssm_parameter_name.value).toBe(`\${aws_ssm_parameter.${parameter}.name}`);
    expect(eu.output!.ssm_parameter_names.value).toEqual({ 'eu-west-1': `\${aws_ssm_parameter.${parameter}.name}` });
    const single = only(synthFleet({ ...fleet, layout: 'single' }));
    expect(single.output).not.toHaveProperty('ssm_parameter_name');
    expect(Object.keys(single.output!.ssm_parameter_names.value as object).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('tells a fleet file that /aws and /ssm names are reserved', () => {
    const messages = parseFleetText('web.yaml', `${VALID_YAML}publish:\n  ssmParameter: /aws/web/ami-id\n`).diagnostics.map(formatDiagnostic);
    expect(messages).toEqual(['web.yaml:11:17: publish.ssmParameter: parameter names starting with "aws" are reserved for AWS (e.g. /amifleet/web/ami-id)']);
  });
});
