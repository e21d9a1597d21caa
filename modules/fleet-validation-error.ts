import type { z } from 'zod';

/** One problem with a fleet: where (a path into the fleet), what, and a fix when obvious. */
export interface FleetIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly suggestion?: string;
}

/** Thrown by the constructs when a fleet breaks the contract; lists every problem at once. */
export class FleetValidationError extends Error {
  constructor(public readonly issues: readonly FleetIssue[]) {
    super(`invalid fleet:\n${issues.map((i) => `  ${formatPath(i.path) || '(fleet)'}: ${i.message}`).join('\n')}`);
    this.name = 'FleetValidationError';
  }

  static fromZod(error: z.ZodError): FleetValidationError {
    return new FleetValidationError(error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })));
  }
}

/** `launchTemplate.metadata.hopLimit`, `regions.eu-west-1.kmsKeyId`, `copy.shareWith.accounts[0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}
