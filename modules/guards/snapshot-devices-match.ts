import { hclExpression } from '../rendering/hcl-expression';
import { guardMessage, type GuardCondition, type RegionalGuardContext } from './regional-guard';

/**
 * The given device names that key a copy's snapshot tags and permissions are the source
 * image's: other names would leave snapshots untagged and unshared, or tag nothing. Checked at
 * plan when the image is known then, else at apply before the copy is made.
 */
export function snapshotDevicesMatch(ctx: RegionalGuardContext): GuardCondition[] {
  if (ctx.snapshotDevices === undefined) return [];
  const { keys, image } = ctx.snapshotDevices;
  const listed = (names: string[]) => hclExpression((hcl) => `jsonencode(${hcl(names)})`);
  return [{
    on: 'copy',
    condition: {
      condition: hclExpression((hcl) => `toset(${hcl(image)}) == toset(${hcl(keys)})`),
      errorMessage: guardMessage(ctx,
        `the source image's EBS snapshots are on ${listed(image)}, but the copy's snapshot tags and permissions are keyed by ${listed(keys)}`,
        `set the module input snapshot_device_names = ${listed(image)}`),
    },
  }];
}
