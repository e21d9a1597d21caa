import { Testing } from 'cdktf';
import { AmiCopy } from '@cdktf/provider-aws/lib/ami-copy';
import { RegionalImageCopy, type RegionalImageCopyProps } from '../modules/regional-image-copy';

const base: RegionalImageCopyProps = {
  region: 'eu-west-1', sourceRegion: 'us-east-1', sourceImageId: 'ami-0123456789abcdef0', name: 'web-ami-0123456789abcdef0',
};

function synth(props: Partial<RegionalImageCopyProps> = {}): Record<string, unknown> {
  const json = Testing.synthScope((scope) => { new RegionalImageCopy(scope, 'copy', { ...base, ...props }); });
  return Object.values(JSON.parse(json).resource.aws_ami_copy)[0] as Record<string, unknown>;
}

describe('RegionalImageCopy', () => {
  it('copies the source image into its region, encrypted by default', () => {
    const json = Testing.synthScope((scope) => { new RegionalImageCopy(scope, 'copy', base); });
    expect(json).toHaveResourceWithProperties(AmiCopy, {
      region: 'eu-west-1', source_ami_region: 'us-east-1', source_ami_id: 'ami-0123456789abcdef0',
      name: 'web-ami-0123456789abcdef0', encrypted: true,
    });
  });

  it('uses the region\'s KMS key', () => {
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(synth({ kmsKeyId: key }).kms_key_id).toBe(key);
  });

  it('refuses a KMS key on an unencrypted copy', () => {
    expect(() => synth({ encrypted: false, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/x' })).toThrow(/kmsKeyId needs encrypted/);
  });

  it('is created before the copy it replaces is destroyed', () => {
    expect(synth().lifecycle).toEqual({ create_before_destroy: true });
  });

  it('fixes the deprecation time at creation and ignores it on later plans', () => {
    const copy = synth({ deprecateAfterDays: 30 });
    expect(copy.deprecation_time).toBe('${timeadd(plantimestamp(), "720h")}');
    expect(copy.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['deprecation_time'] });
  });

  it('sets create and delete timeouts', () => {
    expect(synth({ timeoutMinutes: 90 }).timeouts).toEqual({ create: '90m', delete: '90m' });
  });

  it('tags the copy', () => {
    expect(synth({ tags: { Fleet: 'web' } }).tags).toEqual({ Fleet: 'web' });
  });
});
