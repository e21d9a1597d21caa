import type { z } from 'zod';
import { keysAllowedAt } from './fleet-json-schema';
import { fieldProblems } from './schema-problems';

/** An error stops a fleet from being synthesized; a warning is reported and lets it through. */
export type FleetIssueSeverity = 'error' | 'warning';

/** One problem with a fleet: where (a path into the fleet), what, and a fix when obvious. */
export interface FleetIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly suggestion?: string;
  /** @default 'error' */
  readonly severity?: FleetIssueSeverity;
  /** The id of the rule that found it (modules/fleet/rules); none for the schema's own checks. */
  readonly rule?: string;
  /** The problem is the name of the last path step (a map key, like a region name), not its value. */
  readonly atKey?: boolean;
}

/** Thrown by the constructs when a fleet breaks the contract; lists every problem at once. */
export class FleetValidationError extends Error {
  constructor(public readonly issues: readonly FleetIssue[]) {
    super(`invalid fleet:\n${issues.map((i) => `  ${formatPath(i.path) || '(fleet)'}: ${i.message}${i.suggestion ? ` (${i.suggestion})` : ''}`).join('\n')}`);
    this.name = 'FleetValidationError';
  }

  static fromZod(error: z.ZodError): FleetValidationError {
    return new FleetValidationError(schemaIssues(error.issues));
  }
}

/** zod's issues as fleet issues, worded as the CLI words them (without positions). */
export function schemaIssues(issues: readonly z.core.$ZodIssue[]): FleetIssue[] {
  return fieldProblems(issues, keysAllowedAt).map(({ path, atKey, message, suggestion }) => ({
    path: [...path], message, ...(suggestion === undefined ? {} : { suggestion }), ...(atKey ? { atKey } : {}),
  }));
}

/** `launchTemplate.metadata.hopLimit`, `regions.eu-west-1.kmsKeyId`, `copy.shareWith.accounts[0]`, `tags["my tag"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, p) => {
    if (typeof p === 'number') return `${out}[${p}]`;
    // A key with spaces, dots or quotes in it would read as several steps or none.
    if (!/^[A-Za-z0-9_:/@+=-]+$/.test(p)) return `${out}[${JSON.stringify(p)}]`;
    return out ? `${out}.${p}` : p;
  }, '');
}
