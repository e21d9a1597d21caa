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
  /** The entry of `accounts` the region is in; undefined in the credentials' own account. */
  readonly account?: string;
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

/** A guard's message: which fleet, which account (an entry of `accounts`) and region, what is wrong, and the fix. */
export function guardMessage(ctx: Pick<RegionalGuardContext, 'fleet' | 'region' | 'account'>, what: string, fix: string): string {
  return `amifleet fleet ${ctx.fleet}, ${ctx.account === undefined ? '' : `account ${ctx.account}, `}region ${ctx.region}: ${what}. Fix: ${fix}.`;
}

/** Where the guard's region is written in the fleet file: `regions.<r>`, or `accounts.<name>.regions.<r>` in an account's stack. */
export function regionField(ctx: Pick<RegionalGuardContext, 'region' | 'account'>): string {
  return `${ctx.account === undefined ? '' : `accounts.${ctx.account}.`}regions.${ctx.region}`;
}
