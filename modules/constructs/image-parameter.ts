import { Construct } from 'constructs';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';

export interface ImageParameterProps {
  /** Region of the parameter, and of the image it names. */
  readonly region: string;
  /** Parameter name, e.g. `/amifleet/web/ami-id`; the same name may be used in every region. */
  readonly name: string;
  /** The image id the parameter holds: the copy in the same region. */
  readonly imageId: string;
  /** @default - none */
  readonly description?: string;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const RESERVED_PREFIX = /^\/?(aws|ssm)/i;

/**
 * An SSM parameter (`aws_ssm_parameter`, type String, data type `aws:ec2:image`) holding one
 * region's image id, so consumers resolve the current image by name, e.g. with
 * `resolve:ssm:<name>` in a launch template. Updated in place when the copy is replaced.
 *
 * @example
 * const parameter = new ImageParameter(stack, 'parameter', {
 *   region: 'eu-west-1', name: '/amifleet/web/ami-id', imageId: copy.imageId,
 * });
 * parameter.parameterName;
 */
export class ImageParameter extends Construct {
  /** The parameter's name, as a reference (so readers depend on the parameter existing). */
  public readonly parameterName: string;
  public readonly parameterArn: string;
  public readonly region: string;
  public readonly resource: SsmParameter;

  constructor(scope: Construct, id: string, props: ImageParameterProps) {
    super(scope, id);
    if (RESERVED_PREFIX.test(props.name)) {
      throw new Error(`ImageParameter ${this.node.path}: ${props.name}: SSM parameter names may not begin with aws or ssm (reserved by AWS)`);
    }
    this.region = props.region;
    this.resource = new SsmParameter(this, 'parameter', {
      region: props.region,
      name: props.name,
      description: props.description,
      type: 'String',
      dataType: 'aws:ec2:image',
      // An image id is not a secret: insecure_value keeps it readable in plans.
      insecureValue: props.imageId,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.parameterName = this.resource.name;
    this.parameterArn = this.resource.arn;
  }
}
