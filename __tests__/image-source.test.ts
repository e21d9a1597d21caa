import { Testing, TerraformOutput } from 'cdktf';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { ImageSource, type ImageSourceProps } from '../modules/constructs/image-source';
import { only } from './support/fleets';

function synth(props: ImageSourceProps): { json: string; source: ImageSource } {
  let source!: ImageSource;
  const json = Testing.synthScope((scope) => {
    source = new ImageSource(scope, 'source', props);
    new TerraformOutput(scope, 'id', { value: source.imageId });
  });
  return { json, source };
}

describe('ImageSource', () => {
  it('uses a pinned image id as it is, and describes it with an aws_ami read in the source region', () => {
    const { json, source } = synth({ region: 'us-east-1', ami: 'ami-0123456789abcdef0', guards: false });
    expect(source.imageId).toBe('ami-0123456789abcdef0');
    expect(JSON.parse(json).output.id.value).toBe('ami-0123456789abcdef0');
    // Deprecated too: the id was chosen, and AWS hides deprecated images from lookups by default.
    expect(only(JSON.parse(json).data.aws_ami)).toEqual({
      region: 'us-east-1', include_deprecated: true, filter: [{ name: 'image-id', values: ['ami-0123456789abcdef0'] }],
    });
  });

  it('stops a plan on a source image that is not available, naming the fleet; guards: false leaves the read bare', () => {
    type Read = { lifecycle?: { postcondition: unknown[] } };
    const guarded = only<Read>(JSON.parse(synth({ region: 'us-east-1', ami: 'ami-0123456789abcdef0', fleet: 'web' }).json).data.aws_ami);
    expect(guarded.lifecycle?.postcondition).toEqual([{
      condition: '${self.state == "available"}',
      error_message: expect.stringMatching(/^amifleet fleet web, source image: the source image is not available/),
    }]);
    const bare = only<Read>(JSON.parse(synth({ region: 'us-east-1', ami: 'ami-0123456789abcdef0', guards: false }).json).data.aws_ami);
    expect(bare.lifecycle).toBeUndefined();
  });

  it('describes an SSM parameter\'s image with an aws_ami filtered on the parameter\'s value', () => {
    const { json } = synth({ region: 'us-west-2', ssmParameter: '/golden/web' });
    const ami = only(JSON.parse(json).data.aws_ami as Record<string, { region: string; filter: { name: string; values: string[] }[] }>);
    expect(ami.region).toBe('us-west-2');
    expect(ami.filter).toEqual([{ name: 'image-id', values: [expect.stringMatching(/^\$\{data\.aws_ssm_parameter\.[^.]+\.insecure_value\}$/)] }]);
  });

  it('names the devices of the source image\'s snapshots, from the aws_ami read at plan', () => {
    for (const props of [
      { region: 'us-east-1', ami: 'ami-0123456789abcdef0' },
      { region: 'us-east-1', lookup: { owners: ['amazon'] } },
      { region: 'us-east-1', ssmParameter: '/golden/web' },
    ]) {
      const json = JSON.parse(Testing.synthScope((scope) => {
        const source = new ImageSource(scope, 'source', props);
        new TerraformOutput(scope, 'devices', { value: source.snapshotDeviceNames });
      }));
      const ami = Object.keys(json.data.aws_ami)[0];
      expect(json.output.devices.value).toBe(`\${[ for key, val in toset(tolist(data.aws_ami.${ami}.block_device_mappings)): val.device_name if try(val.ebs.snapshot_id, "") != ""]}`);
    }
  });

  it('keys the snapshots by given device names (an image known only after apply), and keeps the image\'s own for the guard', () => {
    const json = JSON.parse(Testing.synthScope((scope) => {
      const source = new ImageSource(scope, 'source', { region: 'us-east-1', ami: 'ami-0123456789abcdef0', snapshotDeviceNames: ['/dev/sda1'] });
      new TerraformOutput(scope, 'devices', { value: source.snapshotDeviceNames });
      new TerraformOutput(scope, 'image_devices', { value: source.imageSnapshotDeviceNames });
    }));
    const ami = Object.keys(json.data.aws_ami)[0];
    expect(json.output.devices.value).toEqual(['/dev/sda1']);
    expect(json.output.image_devices.value).toBe(`\${[ for key, val in toset(tolist(data.aws_ami.${ami}.block_device_mappings)): val.device_name if try(val.ebs.snapshot_id, "") != ""]}`);
  });

  it('looks an image up in the source region: owners, most recent, name, architecture, filters', () => {
    const { json } = synth({
      region: 'eu-central-1',
      lookup: { owners: ['amazon', '123456789012'], name: 'al2023-ami-*', architecture: 'arm64', filters: { 'virtualization-type': ['hvm'] } },
    });
    expect(json).toHaveDataSourceWithProperties(DataAwsAmi, {
      region: 'eu-central-1',
      owners: ['amazon', '123456789012'],
      most_recent: true,
      include_deprecated: false,
      filter: [
        { name: 'architecture', values: ['arm64'] },
        { name: 'name', values: ['al2023-ami-*'] },
        { name: 'state', values: ['available'] },
        { name: 'virtualization-type', values: ['hvm'] },
      ],
    });
  });

  it('includes deprecated images only when asked', () => {
    const { json } = synth({ region: 'us-east-1', lookup: { owners: ['self'], includeDeprecated: true } });
    expect(json).toHaveDataSourceWithProperties(DataAwsAmi, { include_deprecated: true });
  });

  it('reads an SSM parameter in the source region, as a readable (non-sensitive) value', () => {
    const name = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
    const { json } = synth({ region: 'us-west-2', ssmParameter: name });
    expect(json).toHaveDataSourceWithProperties(DataAwsSsmParameter, { region: 'us-west-2', name });
    expect(JSON.parse(json).output.id.value).toMatch(/^\$\{data\.aws_ssm_parameter\.[^.]+\.insecure_value\}$/);
  });

  it('refuses zero or several sources', () => {
    expect(() => synth({ region: 'us-east-1' })).toThrow(/exactly one of ami, lookup or ssmParameter/);
    expect(() => synth({ region: 'us-east-1', ami: 'ami-0123456789abcdef0', ssmParameter: '/x' })).toThrow(/exactly one/);
  });
});
