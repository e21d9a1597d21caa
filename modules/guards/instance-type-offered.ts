import { Token } from 'cdktf';
import { DataAwsEc2InstanceTypeOfferings } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings';
import { guardMessage, regionField, type GuardCondition, type RegionalGuardContext } from './regional-guard';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';

/** The region's instance type is offered in that region (not every type is in every region). */
export function instanceTypeOffered(ctx: RegionalGuardContext): GuardCondition[] {
  const offerings = new DataAwsEc2InstanceTypeOfferings(ctx.scope, 'instance-type-offerings', {
    region: ctx.region,
    locationType: 'region',
    filter: [{ name: 'instance-type', values: [ctx.instanceType] }],
  });
  const type = Token.isUnresolved(ctx.instanceType) ? 'the instance type' : `instance type ${ctx.instanceType}`;
  return [{
    on: 'launchTemplate',
    condition: {
      // What Fn.contains writes, as one token (see hclExpression).
      condition: hclExpression((hcl) => `contains(${hclAddress(offerings)}.instance_types, ${hcl(ctx.instanceType)})`),
      errorMessage: guardMessage(ctx, `${type} is not offered in ${ctx.region}`,
        `set ${regionField(ctx)}.instanceType to a type offered there (aws ec2 describe-instance-type-offerings --region ${ctx.region})`),
    },
  }];
}
