import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Fleet, FleetInput } from '../fleet/fleet-spec';
import { sourceNeedsSharing } from '../fleet/fleet-accounts';
import { hclAddress, hclExpression } from '../rendering/hcl-expression';
import { ImageSource } from './image-source';
import { SourceImageSharing } from './source-image-sharing';
import { stackToTerraform } from '../rendering/stack-json';
import { configureStateBackend } from './state-backend';
import { terraformLiteralFleet } from '../rendering/terraform-literal';
import { requireTerraform } from '../rendering/terraform-version';
import { defaultAwsProvider, validFleet, type FleetStackAppProps } from './fleet-stack';

export interface FleetShareStackProps extends FleetStackAppProps {
  /** The fleet, as a fleet file would give it; validated here. It must have accounts and a source it owns (`sourceNeedsSharing`). */
  readonly fleet: FleetInput | Fleet;
}

/**
 * The stack `<fleet>-share`: in the account of the credentials Terraform runs with (no role
 * assumed), which owns the source image, and in the source region, it shares every kept source
 * image with every entry of `accounts` (see `SourceImageSharing`). The accounts' stacks depend
 * on it: their copies need its permissions and grants.
 *
 * @example
 * const app = new App();
 * new FleetShareStack(app, 'shop-share', { fleet });
 * app.synth();
 */
export class FleetShareStack extends TerraformStack {
  /** The whole fleet, as validated. */
  public readonly fleet: Fleet;
  public readonly source: ImageSource;
  public readonly sharing: SourceImageSharing;

  constructor(scope: Construct, name: string, props: FleetShareStackProps) {
    super(scope, name);
    const fleet = validFleet(props.fleet);
    if (!sourceNeedsSharing(fleet)) {
      throw new Error(`FleetShareStack ${name}: fleet ${fleet.fleet} needs no share stack: it has no accounts, or its source is public or shared by its owner (sourceNeedsSharing)`);
    }
    this.fleet = fleet;
    const literal = terraformLiteralFleet(fleet);
    // The credentials' own account, which owns the source: no assume_role.
    (props.provider ?? defaultAwsProvider)(this, 'aws', { region: fleet.source.region });
    requireTerraform(this, 'provider source addresses');
    // Terraform reads backend settings as written (the schema refuses ${ and %{ in them).
    if (props.backend ?? true) configureStateBackend(this, name, fleet.state);
    // Guarded here too (ImageSource): the share stack applies first, so a bad source stops before any account is touched.
    this.source = new ImageSource(this, 'source', { ...literal.source, fleet: literal.fleet });
    this.sharing = new SourceImageSharing(this, 'sharing', {
      fleet: literal.fleet,
      source: this.source,
      accounts: Object.fromEntries(Object.entries(literal.accounts).map(([account, s]) => [account, { id: s.id, roleArn: s.roleArn }])),
    });
    this.addOutputs();
  }

  /** cdktf's configuration, resolving only what holds tokens (see `stackToTerraform`). */
  public override toTerraform(): Record<string, unknown> {
    return stackToTerraform(this);
  }

  private addOutputs(): void {
    const images = Object.values(this.sharing.images);
    const accountIds = [...new Set(Object.values(this.fleet.accounts).map((a) => a.id))].sort();
    new TerraformOutput(this, 'shared_image_ids', {
      value: hclExpression((hcl) => `{ for id in ${hcl(images.map((i) => i.imageId))}: id => ${hcl(accountIds)} }`),
      description: 'Every kept source image (source.ami and source.previous, or the image a lookup or parameter resolves to), with the account ids it is shared with.',
    });
    new TerraformOutput(this, 'kms_grant_ids', {
      value: hclExpression(() => `{ for key, grant in ${hclAddress(this.sharing.grants)}: key => grant.grant_id }`),
      description: 'The KMS grant on each customer managed key of the source snapshots for each account, by "<key ARN>|<account>".',
    });
  }
}
