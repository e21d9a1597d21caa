import { Construct } from 'constructs';
import { TerraformLocal, Token } from 'cdktf';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import type { RegionalImageCopy } from './regional-image-copy';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';
import { eachValue, snapshotForEach } from './snapshot-for-each';

export interface SnapshotTagsProps {
  /** The copy whose snapshots get the tags; they live in its region. */
  readonly copy: RegionalImageCopy;
  /** Device names of the copy's snapshots, known at plan: `ImageSource.snapshotDeviceNames`. */
  readonly snapshotDeviceNames: string[];
  /** Tag name -> value, put on every snapshot of the copy. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The tags of an image copy on its snapshots too: `aws_ami_copy` tags only the image, which
 * leaves the snapshots (where the storage cost is) untagged. One `aws_ec2_tag` per snapshot
 * and tag name, keyed `<device>|<tag name>`; each is replaced along with the copy.
 *
 * @example
 * new SnapshotTags(stack, 'snapshot-tags', {
 *   copy, snapshotDeviceNames: source.snapshotDeviceNames, tags: { Fleet: 'web', team: 'platform' },
 * });
 */
export class SnapshotTags extends Construct {
  /** The `aws_ec2_tag` resource (one instance per snapshot and tag), absent without tags. */
  public readonly resource?: Ec2Tag;

  constructor(scope: Construct, id: string, props: SnapshotTagsProps) {
    super(scope, id);
    const names = Object.keys(props.tags ?? {}).sort();
    if (names.length === 0) return;
    // Tags travel as a local, so names and values stay JSON data rather than HCL expression text.
    const tags = new TerraformLocal(this, 'tags', Object.fromEntries(names.map((n) => [n, props.tags![n]])));
    // Expressions as one token each (see hclExpression): what Fn.keys, Fn.lookup and the iterator write.
    const tagNames = Token.asList(hclExpression(() => `keys(${hclAddress(tags)})`));
    this.resource = new Ec2Tag(this, 'tag', {
      forEach: snapshotForEach(props.snapshotDeviceNames, tagNames, 'key'),
      region: props.copy.region,
      resourceId: props.copy.snapshotIdOn(eachValue('device')),
      key: eachValue('key'),
      value: hclExpression(() => `${hclAddress(tags)}[each.value.key]`),
      // The new copy's snapshots are tagged before the old copy (and its tags) go away.
      lifecycle: { createBeforeDestroy: true },
    });
  }
}
