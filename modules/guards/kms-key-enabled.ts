import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { guardMessage, regionField, type GuardCondition, type RegionalGuardContext } from './regional-guard';

/** The region's KMS key is enabled (a disabled or pending-deletion key fails the copy; a missing one fails the key's read). */
export function kmsKeyEnabled(ctx: RegionalGuardContext): GuardCondition[] {
  if (ctx.kmsKeyId === undefined) return [];
  const key = new DataAwsKmsKey(ctx.scope, 'kms-key', { region: ctx.region, keyId: ctx.kmsKeyId });
  return [{
    on: 'copy',
    condition: {
      condition: key.enabled,
      errorMessage: guardMessage(ctx, `KMS key ${ctx.kmsKeyId} is not enabled`,
        `enable the key in ${ctx.region}, or set ${regionField(ctx)}.kmsKeyId to an enabled key of that region`),
    },
  }];
}
