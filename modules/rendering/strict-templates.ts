import Handlebars from 'handlebars';

/** A handlebars template: its name (for messages) and its text. */
export interface TemplateText {
  /** How messages name the template, e.g. `web.sh.hbs`. */
  readonly name: string;
  readonly source: string;
}

/** A template helper: takes the values written after its name, returns text or a value. */
export type TemplateHelper = (...args: unknown[]) => unknown;

/** What went wrong in a template, for callers that explain it in their own terms. */
export type TemplateProblem =
  | { readonly kind: 'missing'; readonly variable: string; readonly key: string; readonly available: readonly string[] }
  | { readonly kind: 'syntax' }
  | { readonly kind: 'helper'; readonly helper: string }
  | { readonly kind: 'unknown-helper'; readonly helper: string; readonly available: readonly string[] }
  | { readonly kind: 'value'; readonly field: readonly (string | number)[]; readonly what: string }
  | { readonly kind: 'too-large'; readonly bytes: number; readonly limit: number };

/** A template that cannot be rendered: where (template, line, column) and what. */
export class TemplateError extends Error {
  constructor(
    public readonly template: string,
    public readonly reason: string,
    public readonly problem: TemplateProblem,
    /** 1-based; undefined when the problem has no place in the template. */
    public readonly line?: number,
    /** 1-based. */
    public readonly column?: number,
  ) {
    super(`${template}${line === undefined ? '' : `:${line}:${column ?? 1}`}: ${reason}`);
    this.name = 'TemplateError';
  }
}

type Location = { readonly line: number; readonly column: number };

class MissingValue extends Error {
  constructor(public readonly key: string, public readonly parent: unknown, public readonly at?: Location) {
    super(`${key} is not defined`);
  }
}

class HelperFailure extends Error {
  constructor(public readonly helper: string, message: string, public readonly at?: Location) {
    super(message);
  }
}

/** Reads only a value's own data: never a prototype, a method, or a missing key. */
function ownValue(parent: unknown, key: string, at?: Location): unknown {
  if (parent !== null && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, key)) {
    return (parent as Record<string, unknown>)[key];
  }
  throw new MissingValue(key, parent, at);
}

// The compiled template reaches the strict lookup through the helpers object; a name with a
// space cannot be written as a helper call, and knownHelpersOnly would reject it anyway.
const LOOKUP = 'own value';

type Compiler = {
  source: { currentLocation?: { start: Location } };
  compiler: unknown;
  aliasable(name: string): unknown;
  nameLookup(parent: unknown, name: string, type: string): unknown;
};
type CompilerClass = new () => Compiler;

/**
 * Handlebars' strict mode checks only the last name of a plain `{{a.b}}`: not helper arguments,
 * `#if`/`#each` conditions, or inherited properties. This compiler sends every variable lookup
 * through `ownValue`, so a missing or inherited name anywhere is an error with its position.
 */
function strictCompiler(base: CompilerClass): CompilerClass {
  class StrictCompiler extends base {
    nameLookup(parent: unknown, name: string, type: string): unknown {
      if (type !== 'context' && type !== 'data') return super.nameLookup(parent, name, type);
      const loc = this.source.currentLocation?.start;
      const at = loc ? JSON.stringify({ line: loc.line, column: loc.column }) : '{}';
      return [this.aliasable(`helpers[${JSON.stringify(LOOKUP)}]`), '(', parent, ', ', JSON.stringify(name), ', ', at, ')'];
    }
  }
  // Nested blocks ({{#each}}, {{#if}}) are compiled by `compiler`, so they must be strict too.
  StrictCompiler.prototype.compiler = StrictCompiler;
  return StrictCompiler;
}

const BLOCK_HELPERS = ['each', 'if', 'unless', 'with'];

/**
 * An isolated handlebars environment that renders text, not HTML: no escaping, every variable
 * must exist (a missing one is an error naming it, the template and the line), only the data's
 * own values are visible (no prototypes), no partials, and only the given helpers plus
 * `each`, `if`, `unless`, `with` and a strict `lookup`.
 *
 * @example
 * const templates = new StrictTemplates({ upper: (s) => String(s).toUpperCase() });
 * templates.render({ name: 'motd', source: 'Hello {{upper fleet}}' }, { fleet: 'web' }); // 'Hello WEB'
 */
export class StrictTemplates {
  private readonly env = Handlebars.create();
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();
  private readonly helperNames: string[];

  constructor(helpers: Readonly<Record<string, TemplateHelper>> = {}) {
    const env = this.env as typeof Handlebars & { JavaScriptCompiler: CompilerClass };
    env.JavaScriptCompiler = strictCompiler(env.JavaScriptCompiler);
    for (const name of Object.keys(env.helpers)) {
      if (!BLOCK_HELPERS.includes(name)) env.unregisterHelper(name);
    }
    env.registerHelper(LOOKUP, ((parent: unknown, key: string, at: Partial<Location>) =>
      ownValue(parent, key, typeof at.line === 'number' ? { line: at.line, column: at.column ?? 0 } : undefined)) as Handlebars.HelperDelegate);
    const all: Record<string, TemplateHelper> = { lookup: entryOf, ...helpers };
    for (const [name, helper] of Object.entries(all)) {
      env.registerHelper(name, (...args: unknown[]) => {
        const options = args.pop() as { loc?: { start: Location } };
        try {
          return helper(...args);
        } catch (e) {
          if (e instanceof MissingValue) throw new MissingValue(e.key, e.parent, options.loc?.start);
          throw new HelperFailure(name, (e as Error).message, options.loc?.start);
        }
      });
    }
    this.helperNames = Object.keys(all).sort();
  }

  /** Renders a template with `data`; throws a TemplateError for anything wrong in it. */
  render(template: TemplateText, data: Readonly<Record<string, unknown>>): string {
    try {
      return this.compile(template)(data);
    } catch (e) {
      throw this.explain(template, e);
    }
  }

  private compile(template: TemplateText): HandlebarsTemplateDelegate {
    let compiled = this.compiled.get(template.source);
    if (!compiled) {
      // Handlebars counts its own helpers (log, helperMissing, ...) as known unless told otherwise.
      const known = {
        log: false, helperMissing: false, blockHelperMissing: false,
        ...Object.fromEntries([...this.helperNames, ...BLOCK_HELPERS].map((h) => [h, true])),
      };
      compiled = this.env.compile(template.source, {
        noEscape: true, knownHelpers: known, knownHelpersOnly: true,
      });
      this.compiled.set(template.source, compiled);
    }
    return compiled;
  }

  private explain(template: TemplateText, e: unknown): TemplateError {
    if (e instanceof TemplateError) return e;
    if (e instanceof MissingValue) {
      const at = e.at ? { line: e.at.line, column: e.at.column + 1 } : undefined;
      const written = at ? pathAt(template.source, e.at as Location) : undefined;
      const variable = written ?? e.key;
      const reason = written === undefined || lastName(written) === e.key
        ? `${variable} is not defined`
        : `${variable} is not defined ("${e.key}" is missing)`;
      const available = e.parent !== null && typeof e.parent === 'object' && !Array.isArray(e.parent) ? Object.keys(e.parent) : [];
      return new TemplateError(template.name, reason, { kind: 'missing', variable, key: e.key, available }, at?.line, at?.column);
    }
    if (e instanceof HelperFailure) {
      return new TemplateError(template.name, `${e.helper}: ${e.message}`, { kind: 'helper', helper: e.helper },
        e.at?.line, e.at === undefined ? undefined : e.at.column + 1);
    }
    const error = e as Error & { lineNumber?: number; column?: number };
    const message = error.message ?? String(e);
    const unknownHelper = /^You specified knownHelpersOnly, but used the unknown helper (\S+)/.exec(message);
    if (unknownHelper) {
      return new TemplateError(template.name, `unknown helper "${unknownHelper[1]}" (helpers: ${this.helperNames.join(', ')}, ${BLOCK_HELPERS.join(', ')})`,
        { kind: 'unknown-helper', helper: unknownHelper[1], available: [...this.helperNames, ...BLOCK_HELPERS] },
        error.lineNumber, error.column === undefined ? undefined : error.column + 1);
    }
    const parse = /^Parse error on line (\d+):[\s\S]*\n(Expecting [^\n]*)$/.exec(message);
    if (parse) {
      // Shell and JSON templates meet this one: `${X:-{{amiId}}}` reads as the end of a {{{...}}}.
      const reason = parse[2].endsWith("got 'CLOSE_UNESCAPED'")
        ? 'syntax error: "}}}" ends a {{{...}}} that was never opened; put a space between "}}" and "}"'
        : `syntax error: ${parse[2]}`;
      return new TemplateError(template.name, reason, { kind: 'syntax' }, Number(parse[1]), 1);
    }
    const partial = /^The partial (.+) could not be found$/.exec(message);
    const reason = partial ? `partials are not supported ({{> ${partial[1]}}})` : message.replace(/ - \d+:\d+$/, '');
    return new TemplateError(template.name, reason, { kind: 'syntax' }, error.lineNumber,
      error.column === undefined ? undefined : error.column + 1);
  }
}

/** `{{lookup map key}}`: the map's own entry, or an error naming the key. */
function entryOf(map: unknown, key: unknown): unknown {
  const name = String(key);
  if (map !== null && typeof map === 'object' && Object.prototype.hasOwnProperty.call(map, name)) {
    return (map as Record<string, unknown>)[name];
  }
  const keys = map !== null && typeof map === 'object' && !Array.isArray(map) ? Object.keys(map) : [];
  throw new Error(`no "${name}" in the map given${keys.length > 0 ? ` (it has: ${keys.join(', ')})` : ''}`);
}

/** The variable path as written at a position of a template, e.g. `tags.owner` or `../fleet`. */
function pathAt(source: string, at: Location): string | undefined {
  let found: string | undefined;
  const visitor = new Handlebars.Visitor();
  visitor.PathExpression = (path: hbs.AST.PathExpression) => {
    if (found === undefined && path.loc.start.line === at.line && path.loc.start.column === at.column) found = path.original;
  };
  visitor.accept(Handlebars.parse(source));
  return found;
}

function lastName(path: string): string {
  return path.split(/[./]/).filter((p) => p !== '').pop() ?? path;
}
