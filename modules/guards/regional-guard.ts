import type { Construct } from 'constructs';
import type { TerraformCondition } from 'cdktf';

/**
 * What a regional guard knows: where it may read AWS, and what the fleet asks for there. Its text
 * is Terraform literal text (`terraformLiteral`), as conditions and messages are templates.
 */
export interface RegionalGuardContext {
  /** Scope for the data sources a guard reads. */
  readonly scope: Construct;
  readonly fleet: string;
  readonly region: string;
  /** The region's instance type (a literal, or a Terraform expression in a module). */
  readonly instanceType: string;
  /** The region's KMS key, when it has one. */
  readonly kmsKeyId?: string;
  /** The source image's architecture as Terraform reads it at plan, when a data source knows it. */
  readonly sourceArchitecture?: string;
  /** A launch template the region adopts (imports), and the name amifleet gives it. */
  readonly adoptedLaunchTemplate?: { readonly id: string; readonly name: string };
  /** Snapshot device names given to key the copy's snapshot resources, and the source image's own. */
  readonly snapshotDevices?: { readonly keys: string[]; readonly image: string[] };
}

/** A plan-time check: the precondition Terraform evaluates, and the resource that carries it. */
export interface GuardCondition {
  readonly on: 'copy' | 'launchTemplate';
  readonly condition: TerraformCondition;
}

/** A guard's message: which fleet, which region, what is wrong, and the fix. */
export function guardMessage(ctx: Pick<RegionalGuardContext, 'fleet' | 'region'>, what: string, fix: string): string {
  return `amifleet fleet ${ctx.fleet}, region ${ctx.region}: ${what}. Fix: ${fix}.`;
}
