import type { z } from 'zod';
import { didYouMean } from './closest-name';
import { FLEET_NAME } from './fleet-spec';

/** A path into a fleet: map keys and list indexes. */
export type FieldPath = readonly (string | number)[];

/** A schema problem in fleet terms: the field it is about, and whether it points at the key. */
export interface FieldProblem {
  readonly path: FieldPath;
  readonly atKey: boolean;
  readonly message: string;
  readonly suggestion?: string;
}

type Issue = z.core.$ZodIssue & { input?: unknown };

/**
 * Turns zod's issues into messages that speak of the fleet, one per problem: the CLI and
 * FleetValidationError word them alike. `writtenAs` gives the text a field was written as, when known.
 */
export function fieldProblems(issues: readonly Issue[], knownKeys: (path: FieldPath) => string[],
  writtenAs: (path: FieldPath) => string | undefined = () => undefined): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push({ path: [...path, key], atKey: true, message: `unknown key "${key}"`, suggestion: didYouMean(key, knownKeys(path)) });
        }
        break;
      case 'invalid_key':
        out.push({ path, atKey: true, message: issue.issues[0]?.message ?? 'invalid key', suggestion: accountNameFix(path) });
        break;
      case 'invalid_type':
        out.push(typeProblem(path, issue.expected, issue.input, writtenAs(path)));
        break;
      case 'invalid_value': {
        const values = issue.values.map(String);
        out.push({
          path, atKey: false, message: `must be one of ${values.join(', ')}`,
          suggestion: typeof issue.input === 'string' ? didYouMean(issue.input, values) : undefined,
        });
        break;
      }
      case 'invalid_union': {
        // The one union in the contract is state, discriminated by backend.
        const noBackend = (issue as { note?: string }).note === 'No matching discriminator';
        // zod 4 puts the discriminator in the path already; older versions did not.
        const backendPath = path[path.length - 1] === 'backend' ? path : [...path, 'backend'];
        out.push(noBackend
          ? { path: backendPath, atKey: false, message: 'must be one of local, s3, cloud',
            suggestion: didYouMean(String((issue.input as { backend?: unknown })?.backend ?? ''), ['local', 's3', 'cloud']) }
          : { path, atKey: false, message: 'does not match any allowed form' });
        break;
      }
      case 'too_big':
      case 'too_small':
        out.push({ path, atKey: false, message: issue.message.startsWith('Too') ? boundMessage(issue) : issue.message });
        break;
      default:
        out.push({ path, atKey: false, message: issue.message });
    }
  }
  return out;
}

function typeProblem(path: FieldPath, expected: string, input: unknown, writtenAs?: string): FieldProblem {
  if (input === undefined) {
    return { atKey: true, ...requiredAt(path) };
  }
  if (expected === 'string' && typeof input === 'number') {
    return {
      path, atKey: false,
      message: isAccountId(path) ? 'an account id must be a quoted string (YAML reads an unquoted number, and drops leading zeros)'
        : 'must be a string, not a number',
      suggestion: `write "${writtenAs ?? String(input)}"`,
    };
  }
  return { path, atKey: false, message: `must be ${article(expected)}, not ${describe(input)}` };
}

/** `write prod` for an account named `Prod`, when lower case is all it needs. */
function accountNameFix(path: FieldPath): string | undefined {
  if (path.length !== 2 || path[0] !== 'accounts') return undefined;
  const lower = String(path[1]).toLowerCase();
  return lower !== path[1] && FLEET_NAME.test(lower) ? `write ${lower}` : undefined;
}

/** An account id field: an entry's `accounts.<name>.id`, or an item of `copy.shareWith.accounts`. */
function isAccountId(path: FieldPath): boolean {
  const [first, second, third] = path;
  return (first === 'accounts' && third === 'id' && path.length === 3)
    || (first === 'copy' && second === 'shareWith' && third === 'accounts' && path.length === 4);
}

function requiredAt(path: FieldPath): { path: FieldPath; message: string } {
  const parent = path.slice(0, -1);
  const field = String(path[path.length - 1]);
  return { path: parent, message: `missing required field "${field}"${parent.length ? '' : ' at the top level'}` };
}

function boundMessage(issue: Issue & { code: 'too_big' | 'too_small' }): string {
  const bound = issue.code === 'too_big' ? (issue as { maximum: unknown }).maximum : (issue as { minimum: unknown }).minimum;
  const origin = (issue as { origin: string }).origin;
  const word = issue.code === 'too_big' ? 'at most' : 'at least';
  if (origin === 'string') return `must be ${word} ${String(bound)} characters long`;
  if (origin === 'array' || origin === 'set') return `must have ${word} ${String(bound)} item${bound === 1 ? '' : 's'}`;
  return `must be ${word} ${String(bound)}`;
}

function describe(input: unknown): string {
  if (input === null) return 'empty';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  return `${typeof input === 'string' ? 'the string' : typeof input === 'number' ? 'the number' : 'the value'} ${JSON.stringify(input)}`;
}

function article(expected: string): string {
  const named: Record<string, string> = { object: 'a map', array: 'a list', record: 'a map', string: 'a string',
    number: 'a number', int: 'a whole number', boolean: 'true or false' };
  return named[expected] ?? expected;
}
