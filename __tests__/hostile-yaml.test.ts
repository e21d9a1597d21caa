import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatDiagnostic } from '../loader/diagnostic';
import { parseFleetText } from '../loader/load-fleet';
import { amifleet, VALID_YAML, workdir } from './support/cli';

const SUMMARY = /^amifleet: \d+ errors? in \d+ files?; see above$/;

/** Runs `amifleet validate` on one file holding `text`; its path is `file.yaml` in what it returns. */
function validate(text: string, name = 'fleet.yaml'): { code: number | null; lines: string[]; stdout: string } {
  const dir = workdir({ [name]: text });
  const run = amifleet(['validate', join(dir, name)]);
  return { code: run.code, stdout: run.stdout, lines: run.stderr.split(`${dir}/`).join('').split('\n').filter((l) => l !== '') };
}

/** The lines of a file as an editor shows them: CRLF, CR and LF end one; a final line break starts none. */
function editorLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return lines.length > 1 && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
}

function expectInside(text: string, line: number, col: number): void {
  const lines = editorLines(text);
  expect(line).toBeGreaterThanOrEqual(1);
  expect(line).toBeLessThanOrEqual(lines.length);
  expect(col).toBeGreaterThanOrEqual(1);
  // One past the last character is the end of the line, where a missing `]` or `}` belongs.
  expect(col).toBeLessThanOrEqual(lines[line - 1].length + 1);
}

describe('YAML tags that are not plain data', () => {
  it('are errors at the tagged value, with its field, not a wrong type or a setting dropped', () => {
    const run = validate(`${VALID_YAML}tags: { team: !!binary aGVsbG8= , x: !custom foo }\n`);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'fleet.yaml:10:24: tags.team: the YAML tag !!binary is not plain data (remove it: a fleet file holds strings, numbers, true/false, maps and lists)',
      'fleet.yaml:10:46: tags.x: the YAML tag !custom is not plain data (remove it: a fleet file holds strings, numbers, true/false, maps and lists)',
      'amifleet: 2 errors in 1 file; see above',
    ]);
  });

  it.each([
    ['!!omap', 'tags: !!omap [ { team: web } ]', '10:14: tags'],
    ['!!set', 'tags: !!set { team }', '10:13: tags'],
    ['!!timestamp', 'description: !!timestamp 2001-12-14', '10:26: description'],
    ['!!pairs', 'tags: !!pairs [ { team: web } ]', '10:15: tags'],
    ['!!merge', 'description: !!merge x', '10:22: description'],
    ['!e!x', 'description: !e!x y', '10:14: '],
    ['!<tag:example.com,2000:app/x>', '%TAG !app! tag:example.com,2000:app/\n---\ndescription: !app!x y', '12:21: description'],
  ])('%s is an error at its position', (tag, line, where) => {
    const text = line.startsWith('%') ? `${line.split('\n').slice(0, 2).join('\n')}\n${VALID_YAML}${line.split('\n')[2]}\n` : `${VALID_YAML}${line}\n`;
    const [at, field] = where.split(': ');
    const run = validate(text);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      `fleet.yaml:${at}: ${field ? `${field}: ` : ''}the YAML tag ${tag} is not plain data (remove it: a fleet file holds strings, numbers, true/false, maps and lists)`,
      'amifleet: 1 error in 1 file; see above',
    ]);
  });

  it('!!str, !!int, !!float, !!bool, !!null, !!map and !!seq stay allowed', () => {
    const text = VALID_YAML.replace('fleet: web', 'fleet: !!str web').replace('eu-west-1: {}', 'eu-west-1: !!null').replace('instanceType: t3.micro', [
      'instanceType: t3.micro', '  securityGroupIds: !!seq [ !!str sg-0123456789abcdef0 ]', '  metadata: !!map',
      '    hopLimit: !!int 1', '  rootVolume: { sizeGiB: !!float 30.0 }',
    ].join('\n')) + 'copy: { encrypted: !!bool true }\n';
    const run = validate(text);
    expect(run.lines).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1 fleet valid\n');
  });

  it('a plain tag on a value it does not fit is an error, not a string that slips through', () => {
    const run = validate(`${VALID_YAML}tags: { team: !!int abc, size: !!seq { a: b } }\n`);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'fleet.yaml:10:21: tags.team: the YAML tag !!int needs a whole number, not "abc" (fix the value or remove the tag)',
      'fleet.yaml:10:38: tags.size: the YAML tag !!seq needs a list, not a map (fix the value or remove the tag)',
      'amifleet: 2 errors in 1 file; see above',
    ]);
  });
});

describe('aliases', () => {
  it('a cycle is an error at the alias, like an alias bomb', () => {
    const run = validate(`${VALID_YAML}x: &a [*a]\n`);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'fleet.yaml:10:8: x[0]: alias *a is inside the value it names: refused as an alias cycle (it would repeat forever)',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });

  it('a cycle through a key is found too', () => {
    const run = validate(`${VALID_YAML}tags: &a { *a : x }\n`);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'fleet.yaml:10:12: tags: a key must be a string, not a map (write the key as a plain string)',
      'fleet.yaml:10:12: tags: alias *a is inside the value it names: refused as an alias cycle (it would repeat forever)',
      'amifleet: 2 errors in 1 file; see above',
    ]);
  });

  it('an alias to an anchor set later is an error at the alias', () => {
    const run = validate(`${VALID_YAML}description: *later\ntags: { team: &later web }\n`);
    expect(run.lines).toEqual([
      'fleet.yaml:10:14: description: alias *later names no anchor before it (set &later on a value before *later)',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });

  it('an alias to an anchor set before it still reads, as a value and as a key', () => {
    const run = validate(`${VALID_YAML}description: &team platform\ntags: { team: *team, *team : x }\n`);
    expect(run.lines).toEqual([]);
    expect(run.code).toBe(0);
  });
});

describe('keys', () => {
  it('a key that is a list is an error at the key, and the YAML library\'s own warning never reaches stderr', () => {
    const run = validate(`${VALID_YAML}tags:\n  ? [a, b]\n  : c\n`);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'fleet.yaml:11:5: tags: a key must be a string, not a list (write the key as a plain string)',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });

  it('a key given twice in a nested map names the map; 1 and "1" are one key once read', () => {
    const run = validate(`${VALID_YAML}tags: { a: x, a: y, 1: x, "1": y }\n`);
    expect(run.lines).toEqual([
      'fleet.yaml:10:15: tags: duplicate key "a": a key may appear once in a map',
      'fleet.yaml:10:27: tags: duplicate key "1": a key may appear once in a map',
      'amifleet: 2 errors in 1 file; see above',
    ]);
  });
});

describe('directives', () => {
  it('%YAML 1.1 is an error: it would read 017, yes and dates differently', () => {
    const run = validate(`# a comment\n%YAML 1.1\n---\n${VALID_YAML}`);
    expect(run.lines).toEqual([
      'fleet.yaml:2:1: is YAML 1.1 (%YAML 1.1), which reads numbers, booleans and dates differently; fleet files are YAML 1.2 (remove the %YAML line)',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });

  it('what the parser warns about (an unknown version or directive) is an error at its position, never raw on stderr', () => {
    const run = validate(`%YAML 9.9\n%FOO bar\n---\n${VALID_YAML}`);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'fleet.yaml:1:7: Unsupported YAML version 9.9',
      'fleet.yaml:2:1: Unknown directive %FOO',
      'amifleet: 2 errors in 1 file; see above',
    ]);
  });
});

describe('values that hold a line break or a control character', () => {
  it('are escaped in messages, so a region name cannot forge a second diagnostic', () => {
    const text = VALID_YAML.replace('eu-west-1: {}', '"eu-west-1\\nfleets/x.yaml:1:1: forged": {}');
    const run = validate(text);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'fleet.yaml:7:3: regions["eu-west-1\\nfleets/x.yaml:1:1: forged"]: unknown region "eu-west-1\\nfleets/x.yaml:1:1: forged"',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });

  it('escape CR, ESC, NEL, U+2028, U+2029 and bidirectional overrides too', () => {
    const text = VALID_YAML.replace('eu-west-1: {}', '"eu\\r\\e[2K\\N\\L\\P\\u202e-1": {}');
    const run = validate(text);
    expect(run.lines).toEqual([
      'fleet.yaml:7:3: regions["eu\\r\\u001b[2K\\u0085\\u2028\\u2029\\u202e-1"]: unknown region "eu\\r\\u001b[2K\\u0085\\u2028\\u2029\\u202e-1"',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });

  it('in a file name are escaped as well', () => {
    const run = validate(`${VALID_YAML}colour: blue\n`, 'a\nb.yaml');
    expect(run.lines).toEqual([
      'a\\nb.yaml:10:1: colour: unknown key "colour"',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });
});

describe('line endings', () => {
  const json = ['{"fleet": "web",', '"source": {"region": "us-east-1", "ami": "ami-0123456789abcdef0"},',
    '"regions": {"us-east-1": {}},', '"launchTemplate": {"instanceType": "t3.micro"}}', ''];

  it('JSON with CR-only line endings reads', () => {
    const run = validate(json.join('\r'), 'fleet.json');
    expect(run.lines).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1 fleet valid\n');
  });

  it('a mistake in a CR-only file is at its line as an editor shows it', () => {
    const run = validate(json.join('\r').replace('"regions"', '"colour": "blue", "regions"'), 'fleet.json');
    expect(run.lines).toEqual(['fleet.json:3:1: colour: unknown key "colour"', 'amifleet: 1 error in 1 file; see above']);
  });

  it('CRLF and CR may mix', () => {
    const run = validate(VALID_YAML.split('\n').map((l, i) => `${l}${i % 2 ? '\r\n' : '\r'}`).join('').replace('t3.micro', 't3.micro\r  colour: blue'));
    expect(run.lines).toEqual(['fleet.yaml:10:3: launchTemplate.colour: unknown key "colour"', 'amifleet: 1 error in 1 file; see above']);
  });
});

describe('positions', () => {
  it('a syntax error at the end of the file points at the end of its last line, not past it', () => {
    const run = validate('fleet: web\nsource: [\n');
    expect(run.lines).toEqual([
      'fleet.yaml:2:10: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'amifleet: 1 error in 1 file; see above',
    ]);
  });
});

/** Strings a fleet may hold by mistake or by malice: any characters, and the ones YAML and terminals treat specially. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\n', '\r', '\u2028', '\u2029', '\u0085', '\u001b', '\t', ':', ' ', '"', '\'', '#', '&', '*', '!', '%',
    '{', '}', '[', ']', ',', '|', '>', '-', '?', '@', '`', '\\', '\uFEFF', 'a', '1'), maxLength: 12 }),
);

/** A fleet with hostile strings as keys and values, written as JSON (always well formed) or pasted raw into YAML. */
const hostileFleetText = fc.record({
  tagKey: hostileString, tagValue: hostileString, region: hostileString, description: hostileString, yaml: fc.boolean(),
}).map(({ tagKey, tagValue, region, description, yaml }) => (yaml
  ? `${VALID_YAML}  ${region}: {}\ndescription: ${description}\ntags:\n  ${tagKey}: ${tagValue}\n`
  : JSON.stringify({
    fleet: 'web', description, source: { region: 'us-east-1', ami: 'ami-0123456789abcdef0' },
    regions: { 'us-east-1': {}, [region]: {} }, launchTemplate: { instanceType: 't3.micro' }, tags: { [tagKey]: tagValue },
  }, null, 1)));

const POSITIONED = /^([^:]+):(\d+):(\d+): /;

describe('property: hostile strings as keys and values', () => {
  it('every diagnostic is one line, at a position inside the file', () => {
    fc.assert(fc.property(hostileFleetText, (text) => {
      for (const d of parseFleetText('fleet.yaml', text).diagnostics) {
        const line = formatDiagnostic(d);
        expect(line).toMatch(POSITIONED);
        expect(line.split(/[\n\r\u2028\u2029\u0085]/)).toHaveLength(1);
        expectInside(text, d.line, d.col);
      }
    }), { numRuns: 300 });
  });

  it('every stderr line of validate is a positioned diagnostic or the summary, inside its file', () => {
    fc.assert(fc.property(fc.array(hostileFleetText, { minLength: 15, maxLength: 15 }), (texts) => {
      const dir = workdir();
      texts.forEach((t, i) => writeFileSync(join(dir, `f${i}.yaml`), t.replace('fleet: web', `fleet: web${i}`).replace('"fleet": "web"', `"fleet": "web${i}"`)));
      const run = amifleet(['validate', dir]);
      expect([0, 1]).toContain(run.code);
      const lines = run.stderr.split('\n');
      expect(lines.pop()).toBe('');
      if (run.code === 1) expect(lines.pop()).toMatch(SUMMARY);
      for (const l of lines) {
        const m = POSITIONED.exec(l);
        expect(m).not.toBeNull();
        expectInside(readFileSync(m![1], 'utf8'), Number(m![2]), Number(m![3]));
      }
    }), { numRuns: 4 });
  });
});

describe('validation work', () => {
  /** A fleet with `n` tags whose keys are errors (`aws:` is reserved). */
  const manyTagErrors = (n: number): string => `${VALID_YAML}tags:\n${Array.from({ length: n }, (_, i) => `  aws:x${i}: v\n`).join('')}`;

  /** How often anything looked at a YAML node while validating `text`: every parser and lookup step asks what a node is. */
  function nodeInspections(text: string): { errors: number; inspections: number } {
    const predicates = ['isAlias', 'isMap', 'isNode', 'isPair', 'isScalar', 'isSeq', 'isCollection', 'isDocument'] as const;
    // The yaml library calls its identity module, amifleet its package exports: count both.
    const modules = [require(join(dirname(require.resolve('yaml')), 'nodes', 'identity.js')), require('yaml')] as Record<string, (n: unknown) => boolean>[];
    let inspections = 0;
    // Plain wrappers, not jest spies: a spy keeps every call's arguments, millions of them here.
    const restore = modules.flatMap((m) => predicates.filter((p) => typeof m[p] === 'function').map((p) => {
      const original = m[p];
      m[p] = (n: unknown) => { inspections++; return original(n); };
      return () => { m[p] = original; };
    }));
    try {
      const errors = parseFleetText('fleet.yaml', text).diagnostics.filter((d) => d.severity === 'error').length;
      return { errors, inspections };
    } finally {
      for (const r of restore) r();
    }
  }

  it('grows linearly with the number of errors: twice the errors, about twice the node inspections', () => {
    const small = nodeInspections(manyTagErrors(2_000));
    const large = nodeInspections(manyTagErrors(4_000));
    // Every key is an error, and the tag count (at most 50) one more.
    expect(small.errors).toBe(2_001);
    expect(large.errors).toBe(4_001);
    expect(large.inspections / small.inspections).toBeLessThan(2.5);
  });
});
