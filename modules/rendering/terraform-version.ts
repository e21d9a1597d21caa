import { TerraformElement, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * What amifleet writes that not every Terraform reads, with the release that brought it (from
 * Terraform's changelog and language docs). Adding a feature is a line here, and a
 * `requireTerraform` call where a construct writes it. The rest of what amifleet writes
 * (for_each, for expressions, try, can, lookup, merge, ...) is Terraform 0.12 language.
 */
export const TERRAFORM_FEATURES = {
  /** `required_providers { aws = { source = ... } }`: every stack with a provider. */
  'provider source addresses': '0.13.0',
  /** `variable { validation { ... } }`: a fleet made a module. */
  'input variable validation': '0.13.0',
  /** A module's instance_types validation. */
  'alltrue()': '0.14.0',
  /** A copy's snapshot id by device name (snapshot tags, snapshot permissions). */
  'one()': '0.15.0',
  /** `terraform { cloud { ... } }`: `state.backend: cloud`. */
  'cloud block': '1.1.0',
  /** `moved` blocks: a pinned source's copies from the addresses amifleet 0.1 gave them. */
  'moved blocks': '1.1.0',
  /** `lifecycle { precondition/postcondition }`: the plan-time guards. */
  'preconditions and postconditions': '1.2.0',
  /** The source image guard: a lookup's image is not deprecated. */
  'timecmp()': '1.3.0',
  /** `copy.deprecateAfterDays`, and the source image guard of a lookup. */
  'plantimestamp()': '1.5.0',
  /** `regions.<r>.adopt.launchTemplate`. */
  'import blocks': '1.5.0',
  /** `cloud { workspaces { project } }`: `state.project` (terraform#33489). */
  'cloud workspaces project': '1.6.0',
  /** `backend "s3" { use_lockfile = true }`: opt-in in 1.10, generally available in 1.11. */
  'S3 native state locking (use_lockfile)': '1.10.0',
} as const satisfies Record<string, `${number}.${number}.${number}`>;

export type TerraformFeature = keyof typeof TERRAFORM_FEATURES;

/** The id of a stack's constraint among its children; one per stack. */
const CONSTRAINT_ID = 'terraform-required-version';

/**
 * A stack's `terraform.required_version`: at least the newest release among the features its
 * constructs wrote (`requireTerraform`), so an older Terraform refuses the stack at `init`
 * with its own message instead of failing on whichever block it cannot read.
 *
 * @example
 * requireTerraform(this, 'import blocks'); // the stack now needs Terraform >= 1.5.0
 */
export class TerraformVersionConstraint extends TerraformElement {
  /** The stack's constraint, created when the first feature is required. */
  public static of(scope: IConstruct): TerraformVersionConstraint {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(CONSTRAINT_ID);
    return existing instanceof TerraformVersionConstraint ? existing : new TerraformVersionConstraint(stack, CONSTRAINT_ID);
  }

  private readonly used = new Set<TerraformFeature>();

  public require(feature: TerraformFeature): void {
    this.used.add(feature);
  }

  /** The features the stack uses, in table order. */
  public get features(): TerraformFeature[] {
    return (Object.keys(TERRAFORM_FEATURES) as TerraformFeature[]).filter((f) => this.used.has(f));
  }

  /** `>= x.y.z`, the newest release a used feature needs; undefined while none is used. */
  public get constraint(): string | undefined {
    const versions = this.features.map((f) => TERRAFORM_FEATURES[f]);
    return versions.length === 0 ? undefined : `>= ${versions.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b))}`;
  }

  public override toTerraform(): Record<string, unknown> {
    const constraint = this.constraint;
    return constraint === undefined ? {} : { terraform: { required_version: constraint } };
  }

  public override toHclTerraform(): Record<string, unknown> {
    return this.toTerraform();
  }
}

/** Records that the stack holding `scope` writes `feature`, so its required_version covers it. */
export function requireTerraform(scope: IConstruct, feature: TerraformFeature): void {
  TerraformVersionConstraint.of(scope).require(feature);
}

/** Orders `x.y.z` versions by number (1.10.0 after 1.5.0). */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
