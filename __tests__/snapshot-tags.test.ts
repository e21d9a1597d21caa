import { Testing } from 'cdktf';
import { ImageSource } from '../modules/constructs/image-source';
import { RegionalImageCopy } from '../modules/constructs/regional-image-copy';
import { SnapshotTags, type SnapshotTagsProps } from '../modules/constructs/snapshot-tags';
import { baseFleet, only, resources, synthFleet, type TfJson } from './support/fleets';
import { hclSyntaxError, terraformExpressions } from './support/terraform';

function synth(props: Partial<SnapshotTagsProps> = {}): TfJson {
  return JSON.parse(Testing.synthScope((scope) => {
    const source = new ImageSource(scope, 'source', { region: 'us-east-1', ami: 'ami-0123456789abcdef0' });
    const copy = new RegionalImageCopy(scope, 'copy', {
      region: 'eu-west-1', sourceRegion: 'us-east-1', sourceImageId: source.imageId, name: 'web-ami-0123456789abcdef0',
    });
    new SnapshotTags(scope, 'snapshot-tags', {
      copy, snapshotDeviceNames: source.snapshotDeviceNames, tags: { Fleet: 'web', 'cost-center': '4711' }, ...props,
    });
  })) as TfJson;
}

describe('SnapshotTags', () => {
  let json: TfJson;
  let tag: Record<string, unknown>;
  let copyName: string;
  let localName: string;
  beforeAll(() => {
    json = synth();
    tag = only(json.resource!.aws_ec2_tag);
    copyName = Object.keys(json.resource!.aws_ami_copy)[0];
    localName = Object.keys(json.locals as object)[0];
  });

  it('keeps the tags as data, in a local', () => {
    expect(json.locals).toEqual({ [localName]: { Fleet: 'web', 'cost-center': '4711' } });
  });

  it('makes one aws_ec2_tag per snapshot device and tag name, keyed by what is known at plan', () => {
    const source = Object.keys(json.data!.aws_ami)[0];
    expect(tag.for_each).toContain(`data.aws_ami.${source}.block_device_mappings`);
    expect(tag.for_each).toContain(`keys(local.${localName})`);
    expect(tag.for_each).toContain('"${val[0]}|${val[1]}" => { device = val[0], key = val[1] }');
    expect(tag.for_each).not.toContain('aws_ami_copy');
  });

  it('tags, in the copy\'s region, the copy\'s own snapshot on each device', () => {
    expect(tag.region).toBe('eu-west-1');
    expect(tag.resource_id).toBe(`\${one([ for key, val in toset(tolist(aws_ami_copy.${copyName}.ebs_block_device)): val.snapshot_id if val.device_name == each.value.device])}`);
    expect(tag.key).toBe('${each.value.key}');
    expect(tag.value).toBe(`\${local.${localName}[each.value.key]}`);
  });

  it('tags a replacement copy\'s snapshots before the old copy and its tags go', () => {
    expect(tag.lifecycle).toEqual({ create_before_destroy: true });
  });

  it('writes valid Terraform expressions', async () => {
    for (const expression of terraformExpressions(tag)) expect(await hclSyntaxError(expression)).toBeUndefined();
  });

  it('makes nothing without tags', () => {
    const bare = synth({ tags: {} });
    expect(bare.resource!.aws_ec2_tag).toBeUndefined();
    expect(bare.locals).toBeUndefined();
  });
});

describe('tagging a fleet\'s snapshots', () => {
  it('tags every region\'s snapshots with the tags of that region\'s copy', () => {
    const stacks = synthFleet(baseFleet({ tags: { team: 'platform' }, regions: { 'us-east-1': {}, 'eu-west-1': { tags: { 'region-owner': 'emea' } } } }));
    for (const [name, stack] of Object.entries(stacks)) {
      const copy = only(resources(stack, 'aws_ami_copy'));
      expect(only(resources(stack, 'aws_ec2_tag')).region).toBe(name.replace('web-', ''));
      expect(Object.values(stack.locals as Record<string, unknown>)).toEqual([copy.tags]);
    }
  });
});
