import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export type FieldPath = readonly (string | number)[];

export interface SyntaxProblem {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** A parsed fleet file that can say where any field of it stands. */
export class FleetDocument {
  private constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    /** The plain value, or undefined when the file has syntax errors. */
    public readonly value: unknown,
    public readonly problems: readonly SyntaxProblem[],
  ) {}

  /** Parses YAML or JSON (JSON is YAML 1.2); duplicate keys and alias bombs are errors. */
  static parse(text: string): FleetDocument {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
    const problems: SyntaxProblem[] = [];
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      // One syntax mistake often confuses the parser for the rest of its line: report the first.
      if (problems.some((p) => p.line === pos.line)) continue;
      problems.push({ line: pos.line, col: pos.col, message: syntaxMessage(e.code, firstLine(e.message), text.slice(e.pos[0])) });
    }
    let value: unknown;
    if (problems.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        const message = firstLine((e as Error).message);
        problems.push({ line: 1, col: 1, message: message.startsWith('Excessive alias count')
          ? 'expands aliases (*name) too often: refused as an alias bomb (a resource exhaustion attack)' : message });
      }
    }
    return new FleetDocument(doc, lines, value, problems);
  }

  /**
   * Line and column of a field: its value, or its key when `key` is set (unknown keys), or the
   * nearest enclosing field that exists (missing fields).
   */
  positionOf(path: FieldPath, key = false): { line: number; col: number } {
    const found = this.lookUp(path);
    const target = (key && found.keyNode ? found.keyNode : found.node) as Node | undefined;
    return this.lines.linePos(target?.range?.[0] ?? 0);
  }

  /** The text a scalar field was written as (`0444` for a number YAML read as 444), if the field is one. */
  sourceTextOf(path: FieldPath): string | undefined {
    const { node, complete } = this.lookUp(path);
    return complete && isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }

  /** The node at `path`, or at the longest part of it that exists. */
  private lookUp(path: FieldPath): { node: unknown; keyNode: unknown; complete: boolean } {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) return { node, keyNode, complete: false };
        keyNode = pair.key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof step === 'number' && node.items[step] !== undefined) {
        keyNode = undefined;
        node = node.items[step];
      } else {
        return { node, keyNode, complete: false };
      }
    }
    return { node, keyNode, complete: true };
  }
}

/** The parser's words, where they speak of its API or its internals, in a fleet file's terms. */
function syntaxMessage(code: string, message: string, rest: string): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(rest)?.[1].replace(/^["']|["']$/g, '');
    return key ? `duplicate key "${key}": a key may appear once in a map` : 'duplicate key: a key may appear once in a map';
  }
  if (code === 'MULTIPLE_DOCS') return 'holds more than one YAML document (---); a fleet file is one document';
  if (message.includes('Maximum call stack')) return 'nests too deeply to read; a fleet file is a few levels deep';
  return message;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
