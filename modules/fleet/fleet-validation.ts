import type { z } from 'zod';
import { FleetSchema, type Fleet } from './fleet-spec';
import { schemaIssues, type FleetIssue } from './fleet-validation-error';
import { checkAcceptedFields, repairFleet } from './rejected-fields';
import { FLEET_RULES, fleetRuleIssues, type FleetRule } from './rules';

type SchemaIssue = z.core.$ZodIssue;

export interface FleetValidation {
  /** The fleet with the contract's defaults, when the schema accepts it (rules may still find errors). */
  readonly fleet?: Fleet;
  /** The schema's issues, with the input each was about (modules/fleet/schema-problems.ts words them). */
  readonly schemaIssues: readonly SchemaIssue[];
  /** What the rules found. */
  readonly ruleIssues: readonly FleetIssue[];
  /** True when nothing may be built from this fleet: some issue is an error. */
  readonly failed: boolean;
  /**
   * Runs a further check (the loader's user data template check) on what the schema accepted, as
   * the rules did: undefined when the check read a field the schema rejected, or nothing was left.
   */
  readonly checkAccepted: <T>(check: (fleet: Fleet) => T) => T | undefined;
}

/**
 * Checks a fleet against the schema, then against the rules (modules/fleet/rules). When the schema
 * rejects some fields, the rules still check the others (modules/fleet/rejected-fields.ts), so every
 * mistake is reported at once, and none that only the rejected fields would cause.
 */
export function validateFleet(input: unknown, rules: readonly FleetRule[] = FLEET_RULES): FleetValidation {
  const parsed = FleetSchema.safeParse(input, { reportInput: true });
  if (parsed.success) {
    const fleet = parsed.data;
    const ruleIssues = fleetRuleIssues(fleet, rules);
    return { fleet, schemaIssues: [], ruleIssues, failed: ruleIssues.some(isError), checkAccepted: (check) => check(fleet) };
  }
  const repaired = repairFleet(input, parsed.error.issues);
  return {
    schemaIssues: parsed.error.issues,
    ruleIssues: repaired ? fleetRuleIssues(repaired, rules) : [],
    failed: true,
    checkAccepted: (check) => (repaired ? checkAcceptedFields(repaired, check) : undefined),
  };
}

/** Every error of a validation, in construct terms (no positions), worded as the CLI words them. */
export function validationErrors(validation: FleetValidation): FleetIssue[] {
  return [...schemaIssues(validation.schemaIssues), ...validation.ruleIssues.filter(isError)];
}

export function isError(issue: FleetIssue): boolean {
  return (issue.severity ?? 'error') === 'error';
}
