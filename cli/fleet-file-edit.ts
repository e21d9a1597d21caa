import { isDeepStrictEqual } from 'node:util';
import { isMap, isNode, isScalar, isSeq, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** A value `FleetFileEdit` writes: a scalar, a list of scalars, or a map of scalars (a new section). */
export type FieldValue = string | number | readonly string[] | Readonly<Record<string, string | number>>;

type FieldPath = readonly (string | number)[];

/** Text in `source[start, end)` replaced by `text`. */
interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// As the loader reads fleet files (loader/fleet-document.ts), so both see the same values.
const PARSE_OPTIONS = { schema: 'core', uniqueKeys: false, strict: true, prettyErrors: false } as const;

/**
 * A fleet file's text, changed field by field where it stands: each change replaces only the
 * text of the value it changes (or adds one line), so comments, blank lines, key order, quoting
 * and the alignment of trailing comments all stay as written. The yaml library's Document API
 * finds the fields and holds the same changes made through `setIn`; `result()` checks that the
 * edited text reads as exactly that document, and where it would not (a layout it cannot edit
 * in place, such as a multi-line flow sequence) writes that document instead.
 */
export class FleetFileEdit {
  private readonly doc: Document.Parsed;
  /** The same file, changed through the Document API: what the edited text must read as. */
  private readonly expected: Document.Parsed;
  private readonly splices: Splice[] = [];
  private inPlace = true;
  private readonly eol: string;
  /** The fields changed, in the order they were, as dotted paths (`source.ami`). */
  readonly changedFields: string[] = [];

  constructor(private readonly source: string) {
    this.doc = parseDocument(source, PARSE_OPTIONS);
    this.expected = parseDocument(source, PARSE_OPTIONS);
    this.eol = source.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The plain value at `path`, or undefined where the file has none. */
  value(path: FieldPath): unknown {
    const node: unknown = this.doc.getIn(path, true);
    return isNode(node) ? node.toJS(this.doc) : node;
  }

  /**
   * Sets the field at `path` (its map must exist): its value is replaced in place, or a new key
   * is added right after the key `after` (default: after the map's last key).
   */
  set(path: FieldPath, value: FieldValue, after?: string): void {
    this.expected.setIn(path, this.expected.createNode(value, { flow: Array.isArray(value) }));
    this.changedFields.push(path.join('.'));
    const map = this.mapAt(path.slice(0, -1));
    const key = String(path[path.length - 1]);
    const pair = map && pairOf(map, key);
    if (!map) this.inPlace = false;
    else if (pair) this.replaceValue(pair, value);
    else this.insertPair(map, key, value, after);
  }

  /** Replaces the field `path` by a field named `key` with `value`, where it stands (`source.lookup` by `source.ami`). */
  replaceKey(path: FieldPath, key: string, value: string | number): void {
    const parent = path.slice(0, -1);
    this.expected.deleteIn(path);
    this.expected.setIn([...parent, key], value);
    this.changedFields.push(path.join('.'), [...parent, key].join('.'));
    const map = this.mapAt(parent);
    const pair = map && pairOf(map, String(path[path.length - 1]));
    const keyNode = pair?.key;
    const valueNode = pair?.value;
    if (!map || !isScalar(keyNode) || !isNode(valueNode)) {
      this.inPlace = false;
      return;
    }
    const [keyStart, keyEnd] = range(keyNode);
    const [valueStart, valueEnd, nodeEnd] = range(valueNode);
    if ((isMap(valueNode) || isSeq(valueNode)) && !valueNode.flow) {
      // A block value starts on the next line: the pair goes as a whole, and one line takes its place.
      const replaced = this.source.slice(keyStart, nodeEnd);
      this.splice(keyStart, nodeEnd, `${this.scalar(key, keyNode)}: ${this.scalar(value, keyNode)}${replaced.endsWith('\n') ? this.eol : ''}`);
      return;
    }
    this.splice(keyStart, keyEnd, this.scalar(key, keyNode));
    this.splice(valueStart, valueEnd, this.scalar(value, isScalar(valueNode) ? valueNode : keyNode));
  }

  /**
   * Removes the field at `path` with the lines it stands on (its trailing comment too); a field
   * at the end of the file takes the blank line before it along.
   */
  remove(path: FieldPath): void {
    this.expected.deleteIn(path);
    this.changedFields.push(path.join('.'));
    const map = this.mapAt(path.slice(0, -1));
    const pair = map && pairOf(map, String(path[path.length - 1]));
    const keyNode = pair?.key;
    const valueNode = pair?.value;
    if (!map || map.flow || !isScalar(keyNode) || !isNode(valueNode)) {
      this.inPlace = false;
      return;
    }
    const [keyStart] = range(keyNode);
    let start = this.lineStart(keyStart);
    if (this.source.slice(start, keyStart).trim() !== '') {
      this.inPlace = false;
      return;
    }
    const lastChar = Math.max(range(valueNode)[1] - 1, keyStart);
    const newline = this.source.indexOf('\n', lastChar);
    const end = newline < 0 ? this.source.length : newline + 1;
    if (this.source.slice(end).trim() === '') {
      const before = this.source.slice(0, start);
      const blank = /(\r?\n)[ \t]*\r?\n$/.exec(before);
      if (blank) start -= blank[0].length - blank[1].length;
    }
    this.splice(start, end, '');
  }

  /** The edited text, and whether it could be edited in place (else the document was rewritten, comments kept). */
  result(): { text: string; layoutKept: boolean } {
    if (this.inPlace) {
      const text = this.applySplices();
      const reread = text === undefined ? undefined : parseDocument(text, PARSE_OPTIONS);
      if (text !== undefined && reread && reread.errors.length === 0 && isDeepStrictEqual(reread.toJS(), this.expected.toJS())) {
        return { text, layoutKept: true };
      }
    }
    return { text: this.expected.toString(), layoutKept: false };
  }

  private mapAt(path: FieldPath): YAMLMap | undefined {
    const node = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    return isMap(node) ? node : undefined;
  }

  private replaceValue(pair: Pair, value: FieldValue): void {
    const node = pair.value;
    if (isScalar(node) && !Array.isArray(value) && typeof value !== 'object') {
      const [start, end] = range(node);
      this.splice(start, end, this.scalar(value, node));
    } else if (isSeq(node) && Array.isArray(value)) {
      this.replaceSequence(node, value as readonly string[]);
    } else {
      this.inPlace = false;
    }
  }

  /** A flow sequence on one line is written anew; a block sequence keeps the lines of the items it keeps, comments and all. */
  private replaceSequence(seq: YAMLSeq, items: readonly string[]): void {
    const [start, end] = range(seq);
    const style = seq.items.find(isScalar);
    if (seq.flow) {
      const written = this.source.slice(start, end);
      if (written.includes('\n') || written.includes('#')) {
        this.inPlace = false;
        return;
      }
      const pad = written.length > 2 && written[1] === ' ' ? ' ' : '';
      this.splice(start, end, `[${pad}${items.map((v) => this.scalar(v, style)).join(', ')}${pad}]`);
      return;
    }
    const old = seq.items;
    const oldValues = old.map((n) => (isScalar(n) ? n.value : undefined));
    const kept = oldValues.filter((v) => items.includes(v as string));
    const first = old[0];
    const prefix = isNode(first) ? this.source.slice(this.lineStart(range(first)[0]), range(first)[0]) : '';
    // Only items removed and items added keep the others' lines; a reordering or an emptied list is written anew.
    if (!isDeepStrictEqual(kept, items.filter((v) => oldValues.includes(v))) || kept.length === 0 || !/^[ \t]*- +$/.test(prefix)) {
      this.inPlace = false;
      return;
    }
    old.forEach((item, i) => {
      if (!items.includes(oldValues[i] as string)) this.splice(this.lineStart(range(item as Node)[0]), range(item as Node)[2], '');
    });
    const lastEnd = range(old[old.length - 1] as Node)[2];
    items.forEach((v, i) => {
      if (oldValues.includes(v)) return;
      const next = items.slice(i + 1).find((w) => oldValues.includes(w));
      const at = next !== undefined ? this.lineStart(range(old[oldValues.indexOf(next)] as Node)[0]) : lastEnd;
      this.splice(at, at, this.lines(at, `${prefix}${this.scalar(v, style)}${this.eol}`));
    });
  }

  private insertPair(map: YAMLMap, key: string, value: FieldValue, after?: string): void {
    const anchor = (after !== undefined ? pairOf(map, after) : undefined) ?? map.items[map.items.length - 1];
    const anchorKey = anchor?.key;
    if (!anchor || !isScalar(anchorKey)) {
      this.inPlace = false;
      return;
    }
    const anchorValue = isNode(anchor.value) ? anchor.value : anchorKey;
    const keyStart = range(anchorKey)[0];
    const indent = this.source.slice(this.lineStart(keyStart), keyStart);
    const onItsOwnLine = /^[ \t]*$/.test(indent);
    if (map.flow) {
      const at = range(anchorValue)[1];
      const lead = onItsOwnLine && this.source.slice(range(map)[0], range(map)[1]).includes('\n') ? `,${this.eol}${indent}` : ', ';
      this.splice(at, at, `${lead}${this.scalar(key, anchorKey)}: ${this.flowValue(value, anchorKey)}`);
      return;
    }
    if (!onItsOwnLine) {
      this.inPlace = false;
      return;
    }
    const at = range(anchorValue)[2];
    let text: string;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const step = blockIndentStep(anchorValue, anchorKey, this.source, (o) => this.lineStart(o));
      const lines = Object.entries(value).map(([k, v]) => `${indent}${step}${this.scalar(k, anchorKey)}: ${this.scalar(v, anchorKey)}${this.eol}`);
      // A new section is set apart as the one before it is: by a blank line when one follows it.
      const blank = this.source.startsWith(this.eol, at) ? this.eol : '';
      text = `${blank}${indent}${this.scalar(key, anchorKey)}:${this.eol}${lines.join('')}`;
    } else {
      text = `${indent}${this.scalar(key, anchorKey)}: ${this.flowValue(value, anchorKey)}${this.eol}`;
    }
    this.splice(at, at, this.lines(at, text));
  }

  /** Whole lines to insert at `at`, a line start, or the end of a file whose last line has no line break (which it then still has not). */
  private lines(at: number, text: string): string {
    if (at === 0 || this.source[at - 1] === '\n') return text;
    // Mid-line, a value's end is not where lines go: the document is written anew instead.
    if (at < this.source.length) this.inPlace = false;
    return `${this.eol}${text.slice(0, text.length - this.eol.length)}`;
  }

  private flowValue(value: FieldValue, style: Scalar): string {
    if (Array.isArray(value)) return `[${(value as readonly string[]).map((v) => this.scalar(v, style)).join(', ')}]`;
    if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${this.scalar(k, style)}: ${this.scalar(v, style)}`).join(', ')}}`;
    return this.scalar(value as string | number, style);
  }

  /** A key or value written in the quoting of `like` (a JSON file's keys are double-quoted, so its new ones are too). */
  private scalar(value: string | number, like: Scalar | undefined): string {
    if (typeof value === 'number') return String(value);
    if (like?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (like?.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
    return value;
  }

  private splice(start: number, end: number, text: string): void {
    this.splices.push({ start, end, text });
  }

  /** The text with every splice made, or undefined when two of them overlap. */
  private applySplices(): string | undefined {
    // From the end, so earlier offsets still hold; at one offset, the removal before the insertion.
    const ordered = [...this.splices].sort((a, b) => b.start - a.start || b.end - a.end);
    let text = this.source;
    let limit = Infinity;
    for (const s of ordered) {
      if (s.end > limit) return undefined;
      text = text.slice(0, s.start) + s.text + text.slice(s.end);
      limit = s.start;
    }
    return text;
  }

  private lineStart(offset: number): number {
    return this.source.lastIndexOf('\n', offset - 1) + 1;
  }
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === key);
}

function range(node: Node): [number, number, number] {
  return node.range as [number, number, number];
}

/** How much deeper than its key a block map value is indented (two spaces when the value is not one). */
function blockIndentStep(value: Node, key: Node, source: string, lineStart: (offset: number) => number): string {
  if (!isMap(value) || value.flow || !isNode(value.items[0]?.key)) return '  ';
  const childStart = range(value.items[0].key as Node)[0];
  const child = source.slice(lineStart(childStart), childStart);
  const parent = source.slice(lineStart(range(key)[0]), range(key)[0]);
  return /^[ \t]*$/.test(child) && child.length > parent.length ? child.slice(parent.length) : '  ';
}
