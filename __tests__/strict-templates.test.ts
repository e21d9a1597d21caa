import Handlebars from 'handlebars';
import { StrictTemplates, TemplateError } from '../modules/rendering/strict-templates';

const templates = new StrictTemplates({ upper: (s) => String(s).toUpperCase() });
const data = { fleet: 'web', port: 8080, packages: ['nginx', 'git'], tags: { team: 'platform' }, html: '<a href="x">&</a>' };

function render(source: string, values: Record<string, unknown> = data): string {
  return templates.render({ name: 'web.sh.hbs', source }, values);
}

function failure(source: string, values: Record<string, unknown> = data): TemplateError {
  try {
    render(source, values);
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error(`rendered without error: ${source}`);
}

describe('StrictTemplates: text, not HTML', () => {
  it('renders values, blocks and helpers without escaping anything', () => {
    expect(render('{{fleet}}:{{port}} {{html}} {{upper fleet}}\n{{#each packages}}[{{this}}]{{/each}} {{#if port}}yes{{/if}} {{#with tags}}{{team}}{{/with}}'))
      .toBe('web:8080 <a href="x">&</a> WEB\n[nginx][git] yes platform');
  });

  it('gives #each its @index, @key, @first and @last', () => {
    expect(render('{{#each packages}}{{@index}}{{#if @first}}^{{/if}}{{this}}{{#if @last}}${{/if}} {{/each}}{{#each tags}}{{@key}}{{/each}}'))
      .toBe('0^nginx 1git$ team');
  });

  it('reads map entries with lookup, such as a value per region', () => {
    expect(render('{{lookup tags "team"}}')).toBe('platform');
  });
});

describe('StrictTemplates: a missing variable is an error naming it, the template and the line', () => {
  it.each([
    ['a plain variable', 'fleet={{fleet}}\n  port={{prot}}', 'prot', 2, 10],
    ['a helper argument', '{{upper nope}}', 'nope', 1, 9],
    ['an #if condition', '{{#if debug}}x{{/if}}', 'debug', 1, 7],
    ['an #each list', '{{#each pkgs}}{{this}}{{/each}}', 'pkgs', 1, 9],
    ['a map entry', '{{tags.owner}}', 'tags.owner', 1, 3],
    ['a variable inside a block', '{{#each packages}}\n{{version}}{{/each}}', 'version', 2, 3],
    ['a name of the root', '{{@root.missing}}', '@root.missing', 1, 3],
  ])('%s', (_what, source, variable, line, column) => {
    const e = failure(source);
    expect(e.message).toBe(`web.sh.hbs:${line}:${column}: ${variable} is not defined`);
    expect(e.problem).toMatchObject({ kind: 'missing', variable });
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it('names the first missing part of a longer path', () => {
    expect(failure('{{vars.a.b}}').message).toBe('web.sh.hbs:1:3: vars.a.b is not defined ("vars" is missing)');
  });

  it('lookup of a missing key is an error listing the keys there are', () => {
    expect(failure('x\n{{lookup tags "owner"}}').message).toBe('web.sh.hbs:2:1: lookup: no "owner" in the map given (it has: team)');
  });
});

describe('StrictTemplates: no way to prototypes or functions', () => {
  it.each([
    ['{{constructor.constructor}}', 'constructor'],
    ['{{__proto__}}', '__proto__'],
    ['{{toString}}', 'toString'],
    ['{{fleet.length}}', 'length'],
    ['{{packages.constructor}}', 'constructor'],
    ['{{#with tags}}{{constructor}}{{/with}}', 'constructor'],
    ['{{lookup this "constructor"}}', 'constructor'],
    ['{{#with (lookup fleet "constructor") as |c|}}{{c.name}}{{/with}}', 'constructor'],
    // The first step of the classic handlebars code-execution payload: a string's constructor.
    ['{{#with "s" as |string|}}{{#with string.constructor as |f|}}{{f.prototype}}{{/with}}{{/with}}', 'string.constructor'],
  ])('%s is an error about %s', (source, refused) => {
    const e = failure(source);
    expect(e.message).toContain(refused);
    expect(['missing', 'helper']).toContain(e.problem.kind);
  });

  it('names the inherited property it refused', () => {
    expect(failure('{{constructor.constructor}}').message).toBe('web.sh.hbs:1:3: constructor.constructor is not defined');
    expect(failure('{{__proto__}}').message).toBe('web.sh.hbs:1:3: __proto__ is not defined');
  });
});

describe('StrictTemplates: only its own helpers, no partials, clear syntax errors', () => {
  it('rejects helpers it does not have, naming the ones it has', () => {
    const e = failure('\n{{log fleet}}');
    expect(e.message).toBe('web.sh.hbs:2:1: unknown helper "log" (helpers: lookup, upper, each, if, unless, with)');
    expect(e.problem).toMatchObject({ kind: 'unknown-helper', helper: 'log' });
  });

  it('rejects partials, which would read templates it was not given', () => {
    expect(failure('{{> header}}').message).toBe('web.sh.hbs: partials are not supported ({{> header}})');
  });

  it('reports a syntax error with its line', () => {
    expect(failure('ok\n{{fleet').message).toMatch(/^web\.sh\.hbs:2:1: syntax error: Expecting /);
  });

  it('explains the "}}}" a shell or JSON template easily writes', () => {
    expect(failure('echo\n"${X:-{{fleet}}}"').message)
      .toBe('web.sh.hbs:2:1: syntax error: "}}}" ends a {{{...}}} that was never opened; put a space between "}}" and "}"');
  });

  it('reports a helper failure with the helper and position', () => {
    const throwing = new StrictTemplates({ fail: () => { throw new Error('cannot'); } });
    expect(() => throwing.render({ name: 't.hbs', source: 'a {{fail fleet}}' }, data)).toThrow('t.hbs:1:3: fail: cannot');
  });

  it('leaves the global handlebars environment alone', () => {
    expect(Handlebars.helpers.log).toBeDefined();
    expect(Handlebars.helpers.upper).toBeUndefined();
    expect(Handlebars.compile('{{x}}{{y}}')({ x: '<b>' })).toBe('&lt;b&gt;');
  });
});
