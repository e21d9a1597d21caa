import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Token, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
// cdktf's own merge, so fragments combine exactly as in `TerraformStack.toTerraform()`.
import { deepMerge } from 'cdktf/lib/util';
// cdktf's own naming of elements (`TerraformStack.allocateLogicalId`), for addresses no construct holds any more.
import { makeUniqueId } from 'cdktf/lib/private/unique';

const RESOLVER = new DefaultTokenResolver(new StringConcat());
// Read once: in the CLI bundle every read of an import is a getter call, and these are read
// for every value of every stack.
const { STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE, NUMBER_MAP_TOKEN_VALUE } = Token;
const isUnresolved = Token.isUnresolved.bind(Token);
const isResolvable = Tokenization.isResolvable.bind(Tokenization);
/** cdktf's pattern for numbers encoded into strings (`resolve.ts`): a string matching it may carry a number token. */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
/** cdktf's own limit on nesting (`resolve.ts`), where it reports a circular reference. */
const MAX_DEPTH = 200;

/**
 * `value` with every token resolved in `scope`, exactly as cdktf's `resolve` gives it, but
 * only the parts that can hold a token go through cdktf. cdktf's resolver walks every string,
 * key and number of a stack's configuration, twice, allocating a resolution context and
 * running three regular expressions for each; in a fleet stack all but a few dozen of those
 * values are plain, and resolving a plain value gives it back unchanged (less `undefined`
 * members). Plain objects and arrays are walked here; anything else (a string or key that
 * contains a token marker or an encoded number, a token number, a resolvable, a map or list
 * token, a class instance) is handed to cdktf whole, with the same context a top-level
 * resolve would give it.
 */
export function resolveTokens<T>(scope: IConstruct, value: T): T {
  try {
    return resolveValue(scope, value, 0) as T;
  } catch {
    // A value cdktf refuses (a function, a construct, nesting past its limit): cdktf resolves it
    // from the top, so that its error names the same path it would have.
    return cdktfResolve(scope, value) as T;
  }
}

class NestedTooDeep extends Error {}

function resolveValue(scope: IConstruct, value: unknown, depth: number): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') return isPlainString(value) ? value : cdktfResolve(scope, value);
  if (typeof value === 'number') return isPlainNumber(value) ? value : cdktfResolve(scope, value);
  if (typeof value !== 'object') return typeof value === 'function' ? cdktfResolve(scope, value) : value;
  if (depth >= MAX_DEPTH) throw new NestedTooDeep();
  if (Array.isArray(value)) {
    if (!value.every(isPlainScalarOrContainer)) return cdktfResolve(scope, value);
    const resolved: unknown[] = [];
    for (const item of value) {
      const r = resolveValue(scope, item, depth + 1);
      if (r !== undefined) resolved.push(r);
    }
    return resolved;
  }
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || isResolvable(value)) return cdktfResolve(scope, value);
  const keys = Object.keys(value);
  if (!keys.every(isPlainString)) return cdktfResolve(scope, value);
  const resolved: Record<string, unknown> = {};
  for (const key of keys) {
    const r = resolveValue(scope, (value as Record<string, unknown>)[key], depth + 1);
    if (r !== undefined) resolved[key] = r;
  }
  return resolved;
}

function cdktfResolve(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, resolver: RESOLVER, preparing: false });
}

/** A string cdktf's resolver would give back as it is. */
function isPlainString(s: string): boolean {
  return !s.includes('TfToken[') && !NUMBER_IN_STRING.test(s) && s !== STRING_MAP_TOKEN_VALUE && s !== ANY_MAP_TOKEN_VALUE;
}

/** A number that is no token: not a number token, no number list token (`[n]` asks), not the number map token. */
function isPlainNumber(n: number): boolean {
  return n !== NUMBER_MAP_TOKEN_VALUE && !isUnresolved(n) && !isUnresolved([n]);
}

/** An array item that cannot make the array a list token: a plain scalar, or a container (walked on its own). */
function isPlainScalarOrContainer(item: unknown): boolean {
  if (typeof item === 'string') return isPlainString(item);
  if (typeof item === 'number') return isPlainNumber(item);
  return true;
}

/**
 * The logical id cdktf gives an element at `path` below `scope` (`['copy', 'image']`), whether or
 * not one is there: the address an earlier amifleet wrote, for a moved block.
 */
export function logicalIdAt(scope: IConstruct, path: readonly string[]): string {
  const stack = TerraformStack.of(scope);
  const components = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  return makeUniqueId([...components, ...path]);
}

/**
 * The stack's Terraform JSON configuration: `TerraformStack.toTerraform()` of cdktf 0.21,
 * step for step, with `resolveTokens` in place of cdktf's resolve. Byte-identical output is
 * checked by a test against cdktf's own method on the bundled fleets, the test fixtures and
 * generated fleets.
 */
export function stackToTerraform(stack: TerraformStack): Record<string, unknown> {
  // Both are private in cdktf's typings; `toTerraform()` reads them the same way.
  const { rawOverrides: overrides, cdktfVersion } = stack as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
  const metadata: Record<string, unknown> = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  const elements = terraformElements(stack);
  for (const element of elements) deepMerge(metadata, resolveTokens(stack, element.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    const nested = element.node.path.split('/').reduceRight<Record<string, unknown>>(
      (inner, part) => (Object.keys(inner).length === 0 ? { [part]: element.friendlyUniqueId } : { [part]: inner }), {});
    deepMerge(outputs, nested);
  }
  // cdktf's final resolve drops undefined members; `cloud` is one unless a backend set it.
  for (const key of Object.keys(metadata)) if (metadata[key] === undefined) delete metadata[key];
  const tf: Record<string, unknown> = { '//': { metadata, outputs } };
  for (const element of elements) deepMerge(tf, resolveTokens(stack, element.toTerraform()));
  if (Object.keys(overrides).length === 0) {
    // cdktf resolves the merged whole once more; with no stack overrides merged in, everything in
    // it is already resolved, and resolving a resolved value gives it back as it is.
    return tf;
  }
  deepMerge(tf, overrides);
  return resolveTokens(stack, tf);
}

/** The stack's Terraform elements in construct order, not descending into nested stacks (cdktf's `terraformElements`). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child, into);
  }
  return into;
}
