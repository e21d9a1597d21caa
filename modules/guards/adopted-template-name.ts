import { DataAwsLaunchTemplate } from '@cdktf/provider-aws/lib/data-aws-launch-template';
import { guardMessage, regionField, type GuardCondition, type RegionalGuardContext } from './regional-guard';
import { hclExpression } from '../rendering/hcl-expression';

/** An adopted launch template already has amifleet's name: a launch template's name cannot change in place. */
export function adoptedTemplateName(ctx: RegionalGuardContext): GuardCondition[] {
  if (ctx.adoptedLaunchTemplate === undefined) return [];
  const { id, name } = ctx.adoptedLaunchTemplate;
  const existing = new DataAwsLaunchTemplate(ctx.scope, 'adopted-launch-template', { region: ctx.region, id });
  return [{
    on: 'launchTemplate',
    condition: {
      // What Op.eq writes, as one token: cdktf would escape the literal name a second time (see hclExpression).
      condition: hclExpression((hcl) => `(${hcl(existing.name)} == ${hcl(name)})`),
      errorMessage: guardMessage(ctx, `adopted launch template ${id} has another name than amifleet gives it, so Terraform would replace it`,
        `rename the fleet (or the module's name_prefix) to the template's name, or drop ${regionField(ctx)}.adopt.launchTemplate`),
    },
  }];
}
