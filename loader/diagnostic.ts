/** One problem found in a fleet file, at a position a person can jump to. */
export interface Diagnostic {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
  /** Field path, e.g. `regions.eu-west-1.kmsKeyId`; empty for the file itself. */
  readonly path: string;
  readonly message: string;
  /** A fix, when one is obvious: `did you mean eu-west-1?`. */
  readonly suggestion?: string;
  readonly severity: 'error' | 'warning';
  /** The id of the rule that found it (modules/fleet/rules); none for reading and schema problems. */
  readonly rule?: string;
}

/**
 * `fleets/web.yaml:12:5: regions.eu-wst-1: unknown region (did you mean eu-west-1?)`, and for a
 * warning `fleets/web.yaml:9:5: warning: launchTemplate.metadata.hopLimit: ... [hop-limit-above-one]`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const what = d.path ? `${d.path}: ${d.message}` : d.message;
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  // A warning names its check, which is what a fleet's `suppress` takes.
  const check = d.severity === 'warning' && d.rule ? ` [${d.rule}]` : '';
  return printable(`${where}: ${prefix}${what}${d.suggestion ? ` (${d.suggestion})` : ''}${check}`);
}

/** Control characters, line and paragraph separators, and the bidirectional overrides that reorder a line. */
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The line with every character that could end it, or rewrite the terminal, written as an
 * escape: a file name, key or value cannot forge a `file:line:col:` line of its own.
 */
export function printable(line: string): string {
  return line.replace(UNPRINTABLE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.path.localeCompare(b.path)
    || a.message.localeCompare(b.message);
}
