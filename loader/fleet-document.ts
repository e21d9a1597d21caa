import { isMap, isScalar, isSeq, Parser, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { checkPlainData, notPlainData } from './plain-data';

export type FieldPath = readonly (string | number)[];

export interface SyntaxProblem {
  readonly line: number;
  readonly col: number;
  /** The field it is about, when the parser got that far; none for the file as a whole. */
  readonly path?: FieldPath;
  readonly message: string;
  readonly suggestion?: string;
}

/** A parsed fleet file that can say where any field of it stands. */
export class FleetDocument {
  private constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineStarts,
    private readonly source: string,
    private readonly keys: WeakMap<YAMLMap, Map<string, Pair>>,
    /** The plain value, or undefined when the file has syntax errors. */
    public readonly value: unknown,
    public readonly problems: readonly SyntaxProblem[],
  ) {}

  /**
   * Parses YAML or JSON (JSON is YAML 1.2). Duplicate keys, alias bombs and cycles, tags that are
   * not plain data and whatever the parser warns about are problems at their position.
   */
  static parse(text: string): FleetDocument {
    // YAML 1.2 reads a lone CR as a line break and the yaml library does not: make it LF, same offsets.
    const source = text.replace(/\r(?!\n)/g, '\n');
    // Lines from the text itself: yaml's LineCounter misses line breaks inside tokens it recovers from after an error.
    const lines = new LineStarts(source);
    // The core schema even under `%YAML 1.1`, which would read dates, binary and `<<` merges.
    const doc = parseDocument(source, {
      uniqueKeys: false, prettyErrors: false, strict: true, schema: 'core', logLevel: 'error',
    });
    const positionAt = (offset: number): { line: number; col: number } => lines.linePos(clamp(offset, source));
    const problems: SyntaxProblem[] = [];
    const linesWithSyntaxErrors = new Set<number>();
    for (const e of doc.errors) {
      const pos = positionAt(e.pos[0]);
      // One syntax mistake often confuses the parser for the rest of its line: report the first.
      if (linesWithSyntaxErrors.has(pos.line)) continue;
      linesWithSyntaxErrors.add(pos.line);
      problems.push({ ...pos, ...syntaxMessage(e.code, firstLine(e.message)) });
    }
    for (const w of doc.warnings) {
      // Tags are checked node by node below, with the field they are on.
      if (w.code === 'TAG_RESOLVE_FAILED' || w.code === 'BAD_COLLECTION_TYPE') continue;
      problems.push({ ...positionAt(w.pos[0]), message: firstLine(w.message) });
    }
    if (doc.directives.yaml.explicit && doc.directives.yaml.version === '1.1') {
      problems.push({ ...positionAt(yamlDirectiveOffset(source)), message: 'is YAML 1.1 (%YAML 1.1), which reads numbers, booleans and dates differently; fleet files are YAML 1.2', suggestion: 'remove the %YAML line' });
    }
    const plain = checkPlainData(doc.contents);
    for (const p of plain.problems) {
      problems.push({ ...positionAt(p.node.range?.[0] ?? 0), path: p.path, message: p.message, ...(p.suggestion ? { suggestion: p.suggestion } : {}) });
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
    problems.sort((a, b) => a.line - b.line || a.col - b.col);
    return new FleetDocument(doc, lines, source, plain.keys, value, problems);
  }

  /**
   * Line and column of a field: its value, or its key when `key` is set (unknown keys), or the
   * nearest enclosing field that exists (missing fields).
   */
  positionOf(path: FieldPath, key = false): { line: number; col: number } {
    const found = this.lookUp(path);
    const target = (key && found.keyNode ? found.keyNode : found.node) as Node | undefined;
    return this.lines.linePos(clamp(target?.range?.[0] ?? 0, this.source));
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
        const pair = this.keys.get(node)?.get(String(step));
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

/**
 * An offset the parser gave, inside the text (the parser may point just past its end), and at
 * the CR of a CRLF rather than its LF, which would read as one column past the line's end.
 */
/** Line and column (1-based) of an offset, as an editor counts them (CR alone was made LF before parsing). */
class LineStarts {
  private readonly starts: number[] = [0];

  constructor(source: string) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  linePos(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo] + 1 };
  }
}

function clamp(offset: number, source: string): number {
  const inside = Math.max(0, Math.min(offset, source.length - 1));
  return source[inside] === '\n' && source[inside - 1] === '\r' ? inside - 1 : inside;
}

/** Where the `%YAML` directive stands; the document keeps its version, not its position. */
function yamlDirectiveOffset(source: string): number {
  for (const token of new Parser().parse(source)) {
    if (token.type === 'directive' && token.source.startsWith('%YAML')) return token.offset;
    if (token.type === 'document') break;
  }
  return 0;
}

/** The parser's words, where they speak of its API or its internals, in a fleet file's terms. */
function syntaxMessage(code: string, message: string): { message: string; suggestion?: string } {
  if (code === 'MULTIPLE_DOCS') return { message: 'holds more than one YAML document (---); a fleet file is one document' };
  if (message.includes('Maximum call stack')) return { message: 'nests too deeply to read; a fleet file is a few levels deep' };
  // `!e!x` with no `%TAG !e!` line: a custom tag all the same.
  const tag = /^Could not resolve tag: (.*)$/.exec(message);
  if (code === 'TAG_RESOLVE_FAILED' && tag) return notPlainData(tag[1]);
  return { message };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
