import { Op, ref } from 'cdktf';
import { guardMessage, type GuardCondition, type RegionalGuardContext } from './regional-guard';

/** The published SSM parameter holds this region's own copy (not one another tool wrote there). */
export function publishedParameterHoldsCopy(ctx: RegionalGuardContext): GuardCondition[] {
  if (ctx.published === undefined) return [];
  return [{
    on: 'parameter',
    kind: 'postcondition',
    condition: {
      condition: Op.eq(ref('self.insecure_value'), ctx.published.imageId),
      errorMessage: guardMessage(ctx, `SSM parameter ${ctx.published.name} does not hold this region's copy`,
        `let amifleet own ${ctx.published.name} in ${ctx.region} (nothing else may write it), or publish under another name in publish.ssmParameter`),
    },
  }];
}
