import type { z } from 'zod';
import { FleetSchema, type Fleet } from './fleet-spec';
import { schemaIssues, type FleetIssue } from './fleet-validation-error';
import { FLEET_RULES, fleetRuleIssues, type FleetRule } from './rules';

type SchemaIssue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export interface FleetValidation {
  /** The fleet with the contract's defaults, when the schema accepts it (rules may still find errors). */
  readonly fleet?: Fleet;
  /** The schema's issues, with the input each was about (modules/schema-problems.ts words them). */
  readonly schemaIssues: readonly SchemaIssue[];
  /** What the rules found. */
  readonly ruleIssues: readonly FleetIssue[];
  /** True when nothing may be built from this fleet: some issue is an error. */
  readonly failed: boolean;
}

/**
 * Checks a fleet against the schema, then against the rules (modules/rules). When the schema
 * rejects some fields, the rules still check the rest, so every mistake is reported at once.
 */
export function validateFleet(input: unknown, rules: readonly FleetRule[] = FLEET_RULES): FleetValidation {
  const parsed = FleetSchema.safeParse(input, { reportInput: true });
  if (parsed.success) {
    const ruleIssues = fleetRuleIssues(parsed.data, rules);
    return { fleet: parsed.data, schemaIssues: [], ruleIssues, failed: ruleIssues.some(isError) };
  }
  const rest = withoutInvalidFields(input, parsed.error.issues);
  // Warnings wait for a fleet the schema accepts: a removed field must not cause one.
  const ruleIssues = rest ? fleetRuleIssues(rest, rules).filter(isError) : [];
  return { schemaIssues: parsed.error.issues, ruleIssues, failed: true };
}

/** Every error of a validation, in construct terms (no positions), worded as the CLI words them. */
export function validationErrors(validation: FleetValidation): FleetIssue[] {
  return [...schemaIssues(validation.schemaIssues), ...validation.ruleIssues.filter(isError)];
}

export function isError(issue: FleetIssue): boolean {
  return (issue.severity ?? 'error') === 'error';
}

const REMOVED = Symbol('removed');

/**
 * The fleet that is left when every field the schema rejected is removed (and, for a missing
 * required field, its parent), or undefined when too little is left.
 */
function withoutInvalidFields(input: unknown, issues: readonly SchemaIssue[]): Fleet | undefined {
  let value: unknown;
  try {
    value = structuredClone(input);
  } catch {
    return undefined;
  }
  for (let round = 0; round < 10; round++) {
    for (const path of issues.flatMap(rejectedPaths)) {
      if (path.length === 0) return undefined;
      markRemoved(value, path);
    }
    value = compact(value);
    const parsed = FleetSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    issues = parsed.error.issues;
  }
  return undefined;
}

function rejectedPaths(issue: SchemaIssue & { input?: unknown }): Path[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => [...issue.path, k]);
  if (issue.code === 'invalid_type' && issue.input === undefined) return [issue.path.slice(0, -1)];
  return [issue.path];
}

function markRemoved(value: unknown, path: Path): void {
  let node = value;
  for (const step of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<PropertyKey, unknown>)[step];
  }
  if (node !== null && typeof node === 'object') (node as Record<PropertyKey, unknown>)[path[path.length - 1]] = REMOVED;
}

function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== REMOVED).map(compact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== REMOVED).map(([k, v]) => [k, compact(v)]));
}
