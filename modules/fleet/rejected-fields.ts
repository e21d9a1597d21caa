import type { z } from 'zod';
import { closest } from './closest-name';
import { keysAllowedAt } from './fleet-json-schema';
import { FleetSchema, type Fleet } from './fleet-spec';

// When the schema rejects some fields of a fleet, the rules still check the others. They see a
// repaired fleet: rejected fields removed (defaults apply) or, where the contract needs a value,
// replaced by a stand-in. Reading any of those through the repaired fleet throws
// RejectedFieldRead, so a finding is only ever computed from what the fleet file really says.

type SchemaIssue = z.core.$ZodIssue & { input?: unknown };
type Path = readonly (string | number)[];

/** A check read a field the schema rejected (or what stands in for it): what it found would be the repair's. */
export class RejectedFieldRead extends Error {
  constructor(public readonly path: Path) {
    super(`${path.join('.') || '(fleet)'} was rejected by the schema`);
    this.name = 'RejectedFieldRead';
  }
}

/** What `read` returns, or undefined when it reads a rejected field. */
export function unlessRejected<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof RejectedFieldRead) return undefined;
    throw e;
  }
}

/** How many reads of rejected fields a repaired fleet has refused so far; 0 for any other fleet. */
export function refusedReads(fleet: Fleet): number {
  return GUARDS.get(fleet)?.refused ?? 0;
}

/**
 * `check(fleet)`, or undefined when the check read a rejected field of a repaired fleet, even if
 * it caught the error itself (a template engine might wrap it).
 */
export function checkAcceptedFields<T>(fleet: Fleet, check: (fleet: Fleet) => T): T | undefined {
  const before = refusedReads(fleet);
  const result = unlessRejected(() => check(fleet));
  return refusedReads(fleet) === before ? result : undefined;
}

const STAND_IN_IMAGE = 'ami-00000000';

/**
 * Values that stand in for a rejected or missing field where the contract needs one; `*` is any
 * map key. A field without one is removed, and when the contract needs it, so is its parent.
 */
const STAND_INS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['fleet', 'stand-in'],
  ['source', { region: 'us-east-1', ami: STAND_IN_IMAGE }],
  ['source.region', 'us-east-1'],
  ['source.lookup.owners', ['amazon']],
  ['source.lookup.filters.*', ['stand-in']],
  ['regions', { 'us-east-1': {} }],
  ['regions.*', {}],
  ['regions.*.tags.*', ''],
  // An account whose id or role was rejected keeps its name and regions for the other checks.
  ['accounts.*.id', '000000000000'],
  ['accounts.*.roleArn', 'arn:aws:iam::000000000000:role/stand-in'],
  ['tags.*', ''],
  ['launchTemplate', { instanceType: 't3.micro' }],
  ['launchTemplate.instanceType', 't3.micro'],
  ['launchTemplate.userData.template', 'stand-in.sh.hbs'],
  ['autoScaling.minSize', 0],
  ['autoScaling.maxSize', 0],
  ['state.bucket', 'stand-in'],
  ['state.region', 'us-east-1'],
  ['state.organization', 'stand-in'],
  ['suppress.*', 'stand-in'],
]);

/**
 * Fields that a refinement of the schema (modules/fleet/fleet-spec.ts) judges together, with the paths
 * its issues take: when it fails, every one of them is in doubt. Any other refinement's issue
 * puts only its own field in doubt.
 */
const JUDGED_TOGETHER: readonly { at: Path; fields: Path[]; standIn?: { field: Path; value: unknown } }[] = [
  { at: ['source'], fields: [['ami'], ['lookup'], ['ssmParameter']], standIn: { field: ['ami'], value: STAND_IN_IMAGE } },
  { at: ['copy'], fields: [['encrypted'], ['shareWith', 'public']] },
  { at: ['autoScaling'], fields: [['minSize'], ['maxSize'], ['desiredCapacity']] },
  { at: ['autoScaling', 'instanceRefresh'], fields: [['checkpoints'], ['checkpointDelaySeconds']] },
];

/** What of a repaired fleet is in doubt, as a tree over its paths. */
class Doubt {
  /** This value and everything in it stands in for (or defaults after) what the schema rejected. */
  whole = false;
  /** Which keys this map has is in doubt: one was removed, or a misspelt key may have meant another. */
  keys = false;
  readonly children = new Map<string, Doubt>();

  at(path: Path): Doubt {
    let node: Doubt = this;
    for (const step of path) {
      const key = String(step);
      let next = node.children.get(key);
      if (!next) node.children.set(key, next = new Doubt());
      node = next;
    }
    return node;
  }
}

const REMOVED = Symbol('removed');
const GUARDS = new WeakMap<object, { refused: number }>();
/** Each map of a repaired fleet, as the rules see it: what it wraps, and whether it stands in for a rejected one. */
const GUARDED_MAPS = new WeakMap<object, { target: object; whole: boolean }>();

/**
 * The keys a map of the fleet has, for a check that looks at each entry on its own (an account's
 * regions): unlike `Object.keys`, it does not refuse a map whose other keys were rejected (a key
 * such as `Prod` that the schema removed). A map that stands in for a rejected one has none.
 */
export function presentKeys(map: object): string[] {
  const guarded = GUARDED_MAPS.get(map);
  if (guarded === undefined) return Object.keys(map);
  return guarded.whole ? [] : Object.keys(guarded.target);
}

/**
 * The fleet the rules check when the schema rejected `issues` of `input`: every rejected field
 * removed or given a stand-in, and reading one of them throws RejectedFieldRead. Undefined
 * when nothing useful is left (the fleet itself is not a map, or repairing does not converge).
 */
export function repairFleet(input: unknown, issues: readonly SchemaIssue[]): Fleet | undefined {
  let value: unknown;
  try {
    value = structuredClone(input);
  } catch {
    return undefined;
  }
  const doubt = new Doubt();
  const rejected = new Set<string>();
  const removed: Path[] = [];

  const remove = (path: Path): void => {
    doubt.at(path).whole = true;
    if (setAt(value, path, REMOVED)) removed.push(path);
  };
  // Two issues of one round about one field (two missing fields of one map) reject it once.
  let rejectedThisRound = new Set<string>();
  /** Takes a field out of the fleet; false when that means the whole fleet. */
  const reject = (path: Path): boolean => {
    if (path.length === 0) return false;
    const key = JSON.stringify(path);
    if (rejectedThisRound.has(key)) return true;
    // A field rejected again (its stand-in, or a removal that did not help): its parent goes.
    if (rejected.has(key)) return reject(path.slice(0, -1));
    rejected.add(key);
    rejectedThisRound.add(key);
    const parent = path.slice(0, -1);
    if (Array.isArray(valueAt(value, parent))) {
      // Removing an item renumbers the rest: the whole list is in doubt.
      doubt.at(parent).whole = true;
      setAt(value, path, REMOVED);
      return true;
    }
    const standIn = standInFor(path);
    if (standIn === undefined) {
      remove(path);
    } else {
      doubt.at(path).whole = true;
      setAt(value, path, standIn);
    }
    return true;
  };

  for (let round = 0; round < 10; round++) {
    rejectedThisRound = new Set();
    for (const issue of issues) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          setAt(value, [...path, key], REMOVED);
          // `amii:` may have meant `ami:`: what the fleet says about ami is in doubt.
          const meant = closest(key, keysAllowedAt(path));
          const map = valueAt(value, path) as Record<string, unknown> | undefined;
          if (meant !== undefined && map?.[meant] === undefined) {
            doubt.at([...path, meant]).whole = true;
            doubt.at(path).keys = true;
          }
        }
        continue;
      }
      if (issue.code === 'invalid_key') {
        remove(path);
        continue;
      }
      // An issue at an item of a judged list (checkpoints[2]) is the list's.
      const judged = issue.code === 'custom' ? JUDGED_TOGETHER.find((j) => samePath(path, j.at) || j.fields.some((f) => startsWith(path, [...j.at, ...f]))) : undefined;
      if (judged) {
        for (const field of judged.fields) remove([...judged.at, ...field]);
        if (judged.standIn) setAt(value, [...judged.at, ...judged.standIn.field], structuredClone(judged.standIn.value));
        continue;
      }
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      if (!reject(missing && standInFor(path) === undefined ? path.slice(0, -1) : path)) return undefined;
    }
    value = compact(value);
    const parsed = FleetSchema.safeParse(value, { reportInput: true });
    if (parsed.success) {
      for (const path of removed) {
        // A removed field that no default filled in: the map's keys are not the file's.
        if (valueAt(parsed.data, path) === undefined) doubt.at(path.slice(0, -1)).keys = true;
      }
      return guarded(parsed.data, doubt);
    }
    issues = parsed.error.issues;
  }
  return undefined;
}

function standInFor(path: Path): unknown {
  for (const [pattern, standIn] of STAND_INS) {
    const steps = pattern.split('.');
    if (steps.length === path.length && steps.every((s, i) => s === '*' || s === String(path[i]))) return structuredClone(standIn);
  }
  return undefined;
}

function guarded(fleet: Fleet, doubt: Doubt): Fleet {
  const counter = { refused: 0 };
  const proxies = new WeakMap<object, object>();
  const refuse = (path: Path): never => {
    counter.refused++;
    throw new RejectedFieldRead(path);
  };
  const guard = <T extends object>(target: T, node: Doubt | undefined, inDoubt: boolean, path: Path): T => {
    const known = proxies.get(target);
    if (known) return known as T;
    const keysInDoubt = () => inDoubt || node?.keys === true;
    const proxy = new Proxy(target, {
      get(t, prop, receiver) {
        const value: unknown = Reflect.get(t, prop, receiver);
        if (typeof prop === 'symbol') return value;
        const own = Object.prototype.hasOwnProperty.call(t, prop);
        if (!own && value !== undefined) return value;
        const key = Array.isArray(t) && /^\d+$/.test(prop) ? Number(prop) : prop;
        const child = node?.children.get(prop);
        const childInDoubt = inDoubt || child?.whole === true;
        if (value !== null && typeof value === 'object') return guard(value, child, childInDoubt, [...path, key]);
        if (childInDoubt) refuse([...path, key]);
        return value;
      },
      has(t, prop) {
        if (typeof prop !== 'symbol' && keysInDoubt()) refuse([...path, prop]);
        return Reflect.has(t, prop);
      },
      ownKeys(t) {
        if (keysInDoubt()) refuse(path);
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    GUARDED_MAPS.set(proxy, { target, whole: inDoubt });
    return proxy;
  };
  const root = guard(fleet, doubt, doubt.whole, []);
  GUARDS.set(root, counter);
  return root;
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((step, i) => String(step) === String(b[i]));
}

function startsWith(path: Path, prefix: Path): boolean {
  return path.length >= prefix.length && prefix.every((step, i) => String(step) === String(path[i]));
}

function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[step];
  }
  return node;
}

/** Sets the field at `path` when its parent exists; false when it does not. */
function setAt(value: unknown, path: Path, to: unknown): boolean {
  const parent = valueAt(value, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return false;
  (parent as Record<PropertyKey, unknown>)[path[path.length - 1]] = to;
  return true;
}

function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== REMOVED).map(compact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== REMOVED).map(([k, v]) => [k, compact(v)]));
}
