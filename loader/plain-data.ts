import { isAlias, isMap, isNode, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { FieldPath } from './fleet-document';

/** Something in a parsed document that is not plain data, at the node it is about. */
export interface NodeProblem {
  readonly node: Node;
  readonly path: FieldPath;
  readonly message: string;
  readonly suggestion?: string;
}

export interface PlainDataCheck {
  readonly problems: NodeProblem[];
  /** Each map's pairs by key, as `toJS` names them (the first pair of a key, when one repeats). */
  readonly keys: WeakMap<YAMLMap, Map<string, Pair>>;
}

/** The explicit tags that name plain data, with what each needs its node to be. */
const PLAIN_TAGS: Record<string, { kind: string; fits: (node: Node) => boolean }> = {
  '!': { kind: 'anything', fits: () => true },
  'tag:yaml.org,2002:str': { kind: 'a string', fits: (n) => isScalar(n) && typeof n.value === 'string' },
  'tag:yaml.org,2002:int': { kind: 'a whole number', fits: (n) => isScalar(n) && Number.isInteger(n.value) },
  'tag:yaml.org,2002:float': { kind: 'a number', fits: (n) => isScalar(n) && typeof n.value === 'number' },
  'tag:yaml.org,2002:bool': { kind: 'true or false', fits: (n) => isScalar(n) && typeof n.value === 'boolean' },
  'tag:yaml.org,2002:null': { kind: 'empty (null)', fits: (n) => isScalar(n) && n.value === null },
  'tag:yaml.org,2002:map': { kind: 'a map', fits: (n) => isMap(n) },
  'tag:yaml.org,2002:seq': { kind: 'a list', fits: (n) => isSeq(n) },
};

/** Where a node stands: its parent's place and the field that leads to it (none for a key). */
interface Place {
  readonly node: unknown;
  readonly parent?: Place;
  readonly step?: string | number;
}

/** A node to check, or a pair of a map whose key is to be named before its value is checked. */
type Task = { readonly place: Place; readonly pair?: undefined }
  | { readonly place: Place; readonly pair: Pair; readonly byKey: Map<string, Pair> };

type Report = (node: Node, place: Place, message: string, suggestion?: string) => void;

/**
 * One pass over every node, in document order: tags that are not plain data, aliases that name
 * no anchor or the value holding them, keys that are collections or repeat; and each map's keys,
 * so finding a field is a lookup per step (a scan of the map was quadratic in its size).
 */
export function checkPlainData(contents: unknown): PlainDataCheck {
  const problems: NodeProblem[] = [];
  const keys = new WeakMap<YAMLMap, Map<string, Pair>>();
  const anchors = new Map<string, Node>();
  const report: Report = (node, place, message, suggestion) => {
    problems.push({ node, path: pathOf(place), message, ...(suggestion ? { suggestion } : {}) });
  };
  // A stack, not recursion: no nesting the parser accepts can overflow it.
  const tasks: Task[] = [{ place: { node: contents } }];
  for (let task = tasks.pop(); task; task = tasks.pop()) {
    const { place } = task;
    if (task.pair) {
      const { pair } = task;
      const name = keyName(pair, task.byKey, anchors, place, report);
      tasks.push({ place: { node: pair.value, parent: place, step: name } }, { place: { node: pair.key, parent: place } });
      continue;
    }
    const node = place.node;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) report(node, place, `alias *${node.source} names no anchor before it`, `set &${node.source} on a value before *${node.source}`);
      else if (holds(place, target)) report(node, place, `alias *${node.source} is inside the value it names: refused as an alias cycle (it would repeat forever)`);
      continue;
    }
    if (!isNode(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    const tagProblem = node.tag === undefined ? undefined : tagProblemOf(node, node.tag);
    if (tagProblem) report(node, place, tagProblem.message, tagProblem.suggestion);
    if (isMap(node)) {
      const byKey = new Map<string, Pair>();
      keys.set(node, byKey);
      for (let i = node.items.length - 1; i >= 0; i--) tasks.push({ place, pair: node.items[i], byKey });
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) tasks.push({ place: { node: node.items[i], parent: place, step: i } });
    }
  }
  return { problems, keys };
}

/**
 * The name `toJS` gives a pair's key, indexed in its map; a key that is a collection, or that
 * repeats, is reported at the key. Undefined for a collection.
 */
function keyName(pair: Pair, byKey: Map<string, Pair>, anchors: Map<string, Node>, place: Place, report: Report): string | undefined {
  const written = isAlias(pair.key) ? anchors.get(pair.key.source) : pair.key;
  // An alias that names no anchor is reported as such; it names no key.
  if (isAlias(pair.key) && !written) return undefined;
  if (isNode(written) && !isScalar(written)) {
    if (isNode(pair.key)) report(pair.key, place, `a key must be a string, not ${isSeq(written) ? 'a list' : 'a map'}`, 'write the key as a plain string');
    return undefined;
  }
  const name = isScalar(written) && written.value !== null ? String(written.value) : '';
  if (!byKey.has(name)) byKey.set(name, pair);
  else if (isNode(pair.key)) report(pair.key, place, `duplicate key ${JSON.stringify(name)}: a key may appear once in a map`);
  return name;
}

function tagProblemOf(node: Node, tag: string): { message: string; suggestion?: string } | undefined {
  const plain = PLAIN_TAGS[tag];
  const shown = shortTag(tag);
  if (!plain) return notPlainData(shown);
  if (plain.fits(node)) return undefined;
  const found = isMap(node) ? 'a map' : isSeq(node) ? 'a list' : isScalar(node) && typeof node.source === 'string' ? JSON.stringify(node.source) : 'this value';
  return { message: `the YAML tag ${shown} needs ${plain.kind}, not ${found}`, suggestion: 'fix the value or remove the tag' };
}

/** A tag that names anything but plain data: binary, dates, sets, ordered maps, an application's types. */
export function notPlainData(shownTag: string): { message: string; suggestion: string } {
  return { message: `the YAML tag ${shownTag} is not plain data`, suggestion: 'remove it: a fleet file holds strings, numbers, true/false, maps and lists' };
}

/** `!!binary` for YAML's own tags, `!custom` as written, `!<tag:example.com,2000:x>` for the rest. */
function shortTag(tag: string): string {
  const core = 'tag:yaml.org,2002:';
  if (tag.startsWith(core)) return `!!${tag.slice(core.length)}`;
  return tag.startsWith('!') ? tag : `!<${tag}>`;
}

/** The alias at `place` lies inside `target`. */
function holds(place: Place, target: Node): boolean {
  for (let p = place.parent; p; p = p.parent) if (p.node === target) return true;
  return false;
}

function pathOf(place: Place): FieldPath {
  const out: (string | number)[] = [];
  for (let p: Place | undefined = place; p; p = p.parent) if (p.step !== undefined) out.push(p.step);
  return out.reverse();
}
