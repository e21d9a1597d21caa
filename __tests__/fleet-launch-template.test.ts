import { Testing } from 'cdktf';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { FleetLaunchTemplate, type FleetLaunchTemplateProps } from '../modules/constructs/fleet-launch-template';

const base: FleetLaunchTemplateProps = {
  region: 'eu-west-1', imageId: 'ami-0123456789abcdef0', rootDeviceName: '/dev/xvda', name: 'web', instanceType: 't3.micro',
};

function synth(props: Partial<FleetLaunchTemplateProps> = {}): Record<string, unknown> {
  const json = Testing.synthScope((scope) => { new FleetLaunchTemplate(scope, 'lt', { ...base, ...props }); });
  return Object.values(JSON.parse(json).resource.aws_launch_template)[0] as Record<string, unknown>;
}

describe('FleetLaunchTemplate', () => {
  let defaults: Record<string, unknown>;
  beforeAll(() => { defaults = synth(); });

  it('launches its image in its region and becomes the default version on change', () => {
    const json = Testing.synthScope((scope) => { new FleetLaunchTemplate(scope, 'lt', base); });
    expect(json).toHaveResourceWithProperties(LaunchTemplate, {
      region: 'eu-west-1', image_id: 'ami-0123456789abcdef0', instance_type: 't3.micro', name: 'web', update_default_version: true,
    });
  });

  it('requires IMDSv2 with a hop limit of 1 by default', () => {
    expect(defaults.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
  });

  it('always encrypts the root volume', () => {
    expect(defaults.block_device_mappings).toEqual([{ device_name: '/dev/xvda', ebs: { encrypted: 'true', delete_on_termination: 'true' } }]);
  });

  it('sizes the root volume and encrypts it with the region key', () => {
    const lt = synth({ rootVolumeSizeGiB: 30, rootVolumeType: 'gp3', rootVolumeKmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k' });
    expect(lt.block_device_mappings).toEqual([{
      device_name: '/dev/xvda',
      ebs: { encrypted: 'true', delete_on_termination: 'true', volume_size: 30, volume_type: 'gp3', kms_key_id: 'arn:aws:kms:eu-west-1:1:key/k' },
    }]);
  });

  it('takes an instance profile by name or by ARN', () => {
    expect(synth({ iamInstanceProfile: 'web-role' }).iam_instance_profile).toEqual({ name: 'web-role' });
    const arn = 'arn:aws:iam::111122223333:instance-profile/web-role';
    expect(synth({ iamInstanceProfile: arn }).iam_instance_profile).toEqual({ arn });
  });

  it('sets key pair and security groups, and omits empty security groups', () => {
    const lt = synth({ keyName: 'ops', securityGroupIds: ['sg-0123456789abcdef0'] });
    expect(lt.key_name).toBe('ops');
    expect(lt.vpc_security_group_ids).toEqual(['sg-0123456789abcdef0']);
    expect(synth({ securityGroupIds: [] }).vpc_security_group_ids).toBeUndefined();
  });

  it('tags the template, and its instances and volumes through tag specifications', () => {
    const lt = synth({ tags: { Fleet: 'web' } });
    expect(lt.tags).toEqual({ Fleet: 'web' });
    expect(lt.tag_specifications).toEqual([
      { resource_type: 'instance', tags: { Fleet: 'web' } },
      { resource_type: 'volume', tags: { Fleet: 'web' } },
    ]);
  });

  it('carries user data as given (base64)', () => {
    expect(synth({ userDataBase64: 'IyEvYmluL3NoCg==' }).user_data).toBe('IyEvYmluL3NoCg==');
  });

  it('refuses a hop limit outside 1..64', () => {
    expect(() => synth({ hopLimit: 65 })).toThrow(/hopLimit must be 1..64/);
    expect(() => synth({ hopLimit: 0 })).toThrow(/hopLimit/);
  });
});
