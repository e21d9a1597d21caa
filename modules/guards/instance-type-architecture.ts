import { Token } from 'cdktf';
import { DataAwsEc2InstanceTypes } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-types';
import { guardMessage, regionField, type GuardCondition, type RegionalGuardContext } from './regional-guard';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';

/** The region's instance type can run the source image's architecture (no arm64 type for an x86_64 image). */
export function instanceTypeArchitecture(ctx: RegionalGuardContext): GuardCondition[] {
  if (ctx.sourceArchitecture === undefined) return [];
  // The plural data source filters instead of failing on a type the region lacks; the offered guard says that.
  const fitting = new DataAwsEc2InstanceTypes(ctx.scope, 'instance-type-architecture', {
    region: ctx.region,
    filter: [
      { name: 'instance-type', values: [ctx.instanceType] },
      { name: 'processor-info.supported-architecture', values: [ctx.sourceArchitecture] },
    ],
  });
  const type = Token.isUnresolved(ctx.instanceType) ? 'the instance type' : `instance type ${ctx.instanceType}`;
  return [{
    on: 'launchTemplate',
    condition: {
      // What Fn.contains writes, as one token (see hclExpression).
      condition: hclExpression((hcl) => `contains(${hclAddress(fitting)}.instance_types, ${hcl(ctx.instanceType)})`),
      errorMessage: guardMessage(ctx, `${type} cannot run the source image's architecture (or is not offered here)`,
        `choose an instance type of the image's architecture (x86_64: e.g. m7i, c7i, t3; arm64: e.g. m7g, c7g, t4g) for ${regionField(ctx)}.instanceType or launchTemplate.instanceType`),
    },
  }];
}
