import type { Fleet } from '../fleet-spec';
import { presentKeys, unlessRejected } from '../rejected-fields';
import type { FleetIssue, FleetIssueSeverity } from '../fleet-validation-error';

/** What a rule found; the rule's id and severity are added when it runs. */
export type RuleFinding = Omit<FleetIssue, 'severity' | 'rule'>;

/**
 * One check of a validated fleet, in the manner of cdk-nag: an id to name (and later suppress)
 * it by, a one-line doc, where its knowledge comes from, and a pure function of the fleet.
 */
export interface FleetRule {
  /** kebab-case, e.g. `kms-key-region-mismatch`; the file's name. */
  readonly id: string;
  readonly severity: FleetIssueSeverity;
  /** One line: what the rule checks. */
  readonly doc: string;
  /** Where the facts behind the rule come from. */
  readonly dataSource: string;
  /**
   * True for a rule that reads every account's regions itself (`fleet.accounts`, or the union of
   * regions). Any other rule runs on the fleet and again on each account's view, its findings at
   * `regions.<r>` moved to `accounts.<a>.regions.<r>` (see `ruleViews`).
   * @default false
   */
  readonly acrossAccounts?: boolean;
  readonly check: (fleet: Fleet) => RuleFinding[];
}

/**
 * The findings of parts of a check that do not depend on each other (a region each, say). When the
 * schema rejected some fields of a fleet, a part that reads one of them is left out; the others count.
 */
export function independentParts(...parts: (() => RuleFinding[])[]): RuleFinding[] {
  return parts.flatMap((part) => unlessRejected(part) ?? []);
}

/** `independentParts` with one part per item. */
export function eachIndependently<T>(items: Iterable<T>, check: (item: T) => RuleFinding[]): RuleFinding[] {
  return independentParts(...[...items].map((item) => () => check(item)));
}

/**
 * `eachIndependently` over every region of every entry of `accounts` (the entries the schema kept),
 * with the entry's name and id: for checks that judge an account region's settings against its account.
 */
export function eachAccountRegion(
  fleet: Fleet,
  check: (account: { name: string; id: string }, region: string, settings: Fleet['regions'][string]) => RuleFinding[],
): RuleFinding[] {
  return eachIndependently(presentKeys(fleet.accounts), (name) => {
    const { id, regions } = fleet.accounts[name];
    return eachIndependently(Object.keys(regions), (region) => check({ name, id }, region, regions[region]));
  });
}
