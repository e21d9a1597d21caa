import { Testing } from 'cdktf';
import { AmiCopy } from '@cdktf/provider-aws/lib/ami-copy';
import { TerraformIterator, TerraformOutput } from 'cdktf';
import { RegionalImageCopy, type RegionalImageCopyProps } from '../modules/constructs/regional-image-copy';
import { hclSyntaxError, providerArguments } from './support/terraform';

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
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab';
    expect(synth({ kmsKeyId: key }).kms_key_id).toBe(key);
  });

  it('refuses a KMS key on an unencrypted copy', () => {
    expect(() => synth({ encrypted: false, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/x' })).toThrow(/kmsKeyId needs encrypted/);
  });

  it('is created before the copy it replaces is destroyed, and keeps the name it was made with (only a replacement takes a new one)', () => {
    expect(synth().lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['name'] });
  });

  describe('deprecation (the date is set once, when the copy is created)', () => {
    let copy: Record<string, unknown>;
    beforeAll(() => { copy = synth({ deprecateAfterDays: 365 }); });

    it('counts from the plan that creates the copy: plantimestamp(), not timestamp(), which is unknown until apply', async () => {
      expect(copy.deprecation_time).toBe('${timeadd(plantimestamp(), "8760h")}');
      expect(await hclSyntaxError(copy.deprecation_time as string)).toBeUndefined();
    });

    it('never shows a diff on later plans: the provider\'s deprecation_time argument is ignored after creation', () => {
      expect(providerArguments('resource', 'aws_ami_copy').has('deprecation_time')).toBe(true);
      expect((copy.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(['name', 'deprecation_time']);
    });

    it('gives a replacement copy a fresh date: ignore_changes does not apply to a new object, and the copy is replaced, not updated', () => {
      expect(copy.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['name', 'deprecation_time'] });
      // source_ami_id can only be set by replacing the copy, so a new image is a new copy.
      expect(copy.source_ami_id).toBe('ami-0123456789abcdef0');
    });

    it('is left out without deprecateAfterDays', () => {
      expect(synth()).not.toHaveProperty('deprecation_time');
    });
  });

  it('finds the snapshot on a device among the copy\'s block devices, by literal name or expression', () => {
    const json = JSON.parse(Testing.synthScope((scope) => {
      const copy = new RegionalImageCopy(scope, 'copy', base);
      new TerraformOutput(scope, 'root', { value: copy.snapshotIdOn('/dev/xvda') });
      const each = TerraformIterator.fromMap({ '/dev/xvda': { device: '/dev/xvda' } });
      new TerraformOutput(scope, 'each', { value: copy.snapshotIdOn(each.getString('device')) });
    }));
    const name = Object.keys(json.resource.aws_ami_copy)[0];
    const among = `toset(tolist(aws_ami_copy.${name}.ebs_block_device))`;
    expect(json.output.root.value).toBe(`\${one([ for key, val in ${among}: val.snapshot_id if val.device_name == "/dev/xvda"])}`);
    expect(json.output.each.value).toBe(`\${one([ for key, val in ${among}: val.snapshot_id if val.device_name == each.value.device])}`);
  });

  it('says whether it is encrypted', () => {
    let copies: RegionalImageCopy[] = [];
    Testing.synthScope((scope) => {
      copies = [new RegionalImageCopy(scope, 'a', base), new RegionalImageCopy(scope, 'b', { ...base, encrypted: false })];
    });
    expect(copies.map((c) => c.encrypted)).toEqual([true, false]);
  });

  it('sets create and delete timeouts', () => {
    expect(synth({ timeoutMinutes: 90 }).timeouts).toEqual({ create: '90m', delete: '90m' });
  });

  it('tags the copy', () => {
    expect(synth({ tags: { Fleet: 'web' } }).tags).toEqual({ Fleet: 'web' });
  });
});
