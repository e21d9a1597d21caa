import { Testing } from 'cdktf';
import { FleetStack } from '../modules/constructs/fleet-stack';
import { baseFleet, only, referencedName, resources, synthFleet, type TfJson } from './support/fleets';
import { instanceUserData } from './support/user-data';

const SCRIPT = {
  name: 'web.sh.hbs',
  source: '#!/bin/bash\n# {{fleet}} in {{region}} on {{instanceType}}\necho "image={{amiId}}" "${IMAGE:-x}" port={{port}} >"$HOME/x" \\\n  && echo {{shellQuote (lookup owners region)}} %{ok}\n',
};

const fleet = baseFleet({
  regions: { 'us-east-1': {}, 'eu-west-1': { instanceType: 'm7i.large' } },
  launchTemplate: {
    instanceType: 't3.micro',
    userData: { template: 'web.sh.hbs', vars: { port: 8080, owners: { 'us-east-1': 'amer', 'eu-west-1': "emea's" } } },
  },
});

describe('RegionalFleet: user data rendered per region', () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => { stacks = synthFleet(fleet, { userDataTemplate: SCRIPT }); });

  /** The user data of a stack's launch template, with the image copy's id as Terraform fills it in. */
  function userDataIn(stack: TfJson): { text: string; references: string[] } {
    const references: string[] = [];
    const text = instanceUserData(only(resources(stack, 'aws_launch_template')).user_data, (expression) => {
      references.push(expression);
      return 'ami-0fedcba9876543210';
    });
    return { text, references };
  }

  it('gives each region its own script: region, instance type and vars of that region', () => {
    expect(userDataIn(stacks['web-eu-west-1']).text).toBe('#!/bin/bash\n# web in eu-west-1 on m7i.large\n'
      + 'echo "image=ami-0fedcba9876543210" "${IMAGE:-x}" port=8080 >"$HOME/x" \\\n  && echo \'emea\'\\\'\'s\' %{ok}\n');
    expect(userDataIn(stacks['web-us-east-1']).text).toContain('# web in us-east-1 on t3.micro\n');
    expect(userDataIn(stacks['web-us-east-1']).text).toContain("&& echo 'amer' %{ok}\n");
  });

  it('fills in amiId with the id of the same region\'s image copy, through base64encode() in Terraform', () => {
    for (const stack of Object.values(stacks)) {
      const lt = only(resources(stack, 'aws_launch_template'));
      expect(lt.user_data).toMatch(/^\$\{base64encode\(".*"\)\}$/s);
      const { references } = userDataIn(stack);
      expect(references).toEqual([`aws_ami_copy.${referencedName(lt.image_id, 'aws_ami_copy')}.id`]);
    }
  });
});

describe('RegionalFleet: user data without Terraform references', () => {
  it('is base64-encoded at synth', () => {
    const stacks = synthFleet(fleet, { userDataTemplate: { name: 'motd.sh.hbs', source: '#!/bin/sh\necho {{region}}\n' } });
    const userData = only(resources(stacks['web-eu-west-1'], 'aws_launch_template')).user_data;
    expect(userData).toBe(Buffer.from('#!/bin/sh\necho eu-west-1\n').toString('base64'));
  });
});

describe('RegionalFleet: template problems stop the synth', () => {
  it('names the missing variable, the template and the line', () => {
    expect(() => synthFleet(fleet, { userDataTemplate: { name: 'web.sh.hbs', source: '#!/bin/sh\necho {{prot}}\n' } }))
      .toThrow('web.sh.hbs:2:8: prot is not defined');
  });

  it('asks for the template text when the fleet names a template (constructs never read files)', () => {
    expect(() => new FleetStack(Testing.app(), 'web', { fleet }))
      .toThrow(/fleet web has user data web\.sh\.hbs; pass its text as userDataTemplate/);
  });
});
